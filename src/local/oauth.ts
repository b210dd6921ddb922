/**
 * The stand-in's half of OAuth v2 (https://docs.slack.dev/authentication/installing-with-oauth): a person
 * in the workspace presses Allow — `grant()` here, which yields the one-time `code` Slack appends to the
 * redirect URL — and the app exchanges it at oauth.v2.access with its client id and secret for the
 * workspace's bot token. Answers as Slack does: `{ok:false, error}` for a bad client, secret, code or
 * redirect URI; a code works once and for ten minutes.
 *
 * With token rotation (https://docs.slack.dev/authentication/using-token-rotation, `tokenRotation`) the
 * exchange hands out an expiring access token (`xoxe.xoxb-…`, `expires_in`) and a refresh token
 * (`xoxe-1-…`); oauth.v2.access with `grant_type=refresh_token` trades the refresh token for a new pair
 * and revokes it (a second use is `invalid_refresh_token`). An access token works until it expires
 * (`token_expired`), also after it was refreshed.
 */
import { randomBytes } from 'node:crypto';
import type { ApiResult, Args, Workspace } from './workspace.js';

/** Slack: "authorization codes … expire ten minutes after they are issued". */
export const CODE_TTL_MS = 10 * 60 * 1000;

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** The redirect URL configured for the app; a code granted for another one is refused. */
  redirectUri?: string;
  /** Token rotation is on: access tokens expire this many seconds after they are issued (Slack: 43200). */
  tokenRotation?: { expiresInSec: number };
}

/** What an API call's token is: a working token, one that expired, or none of ours. */
export type TokenCheck = 'ok' | 'expired' | 'unknown';

interface Grant {
  user: string;
  redirectUri: string | undefined;
  issuedAt: number;
  used: boolean;
}

export class OAuthGrants {
  private readonly grants = new Map<string, Grant>();
  /** With token rotation: each access token handed out and when it expires (ms). */
  private readonly expiring = new Map<string, number>();
  /** With token rotation: the one refresh token that works now (each use revokes it). */
  private refreshToken: string | null = null;

  constructor(
    private readonly app: OAuthApp | null,
    private readonly workspace: Workspace,
    private readonly botToken: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A person in this workspace approves the install: the code the redirect URL carries. */
  grant(input: { user?: string; redirectUri?: string } = {}): string {
    if (!this.app) throw new Error('The stand-in was started without an OAuth app (options.oauth)');
    // Slack's codes look like "1234567890.1234567890.<hex>"; only their uniqueness matters here.
    const code = `${Date.now()}.${randomBytes(5).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
    this.grants.set(code, {
      user: input.user ?? 'U_LOCAL',
      redirectUri: input.redirectUri ?? this.app.redirectUri,
      issuedAt: this.now(),
      used: false,
    });
    return code;
  }

  /** Whether rotation is on: then only the tokens handed out here work, each until it expires. */
  get rotates(): boolean {
    return Boolean(this.app?.tokenRotation);
  }

  /** An API call's token, with rotation on. */
  check(token: string): TokenCheck {
    const expiresAt = this.expiring.get(token);
    if (expiresAt === undefined) return 'unknown';
    return this.now() < expiresAt ? 'ok' : 'expired';
  }

  /** Whether this workspace handed out `token` (an access or the current refresh token). */
  knows(token: string): boolean {
    return this.expiring.has(token) || token === this.refreshToken;
  }

  /** A new expiring access token and refresh token (the previous refresh token stops working). */
  private issue(): { access_token: string; refresh_token: string; expires_in: number } {
    const expiresIn = this.app!.tokenRotation!.expiresInSec;
    const access = `xoxe.xoxb-1-${randomBytes(24).toString('hex')}`;
    this.refreshToken = `xoxe-1-${randomBytes(24).toString('hex')}`;
    this.expiring.set(access, this.now() + expiresIn * 1000);
    return { access_token: access, refresh_token: this.refreshToken, expires_in: expiresIn };
  }

  /** oauth.v2.access: credentials from the form or HTTP Basic, as Slack takes either. */
  exchange(args: Args, authorization: string | undefined): ApiResult {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':', 2) : [];
    const clientId = typeof args.client_id === 'string' ? args.client_id : basicId;
    const clientSecret = typeof args.client_secret === 'string' ? args.client_secret : basicSecret;
    if (!this.app || clientId !== this.app.clientId) return { ok: false, error: 'invalid_client_id' };
    if (clientSecret !== this.app.clientSecret) return { ok: false, error: 'bad_client_secret' };
    if (args.grant_type === 'refresh_token') return this.refresh(args);
    const code = typeof args.code === 'string' ? args.code : '';
    const grant = this.grants.get(code);
    if (!grant || this.now() - grant.issuedAt > CODE_TTL_MS) return { ok: false, error: 'invalid_code' };
    if (grant.used) return { ok: false, error: 'code_already_used' };
    const redirectUri = typeof args.redirect_uri === 'string' ? args.redirect_uri : undefined;
    if (redirectUri !== undefined && grant.redirectUri !== undefined && redirectUri !== grant.redirectUri)
      return { ok: false, error: 'bad_redirect_uri' };
    grant.used = true;
    return {
      ...this.answer(grant.user),
      ...(this.rotates ? this.issue() : { access_token: this.botToken() }),
    };
  }

  /** grant_type=refresh_token: the current refresh token, once, for a new pair. */
  private refresh(args: Args): ApiResult {
    if (!this.rotates) return { ok: false, error: 'invalid_grant_type' };
    const token = typeof args.refresh_token === 'string' ? args.refresh_token : '';
    if (!this.refreshToken || token !== this.refreshToken)
      return { ok: false, error: 'invalid_refresh_token' };
    return { ...this.answer('U_LOCAL'), ...this.issue() };
  }

  /** What oauth.v2.access says besides the tokens. */
  private answer(user: string): { ok: true; [key: string]: unknown } {
    const { teamId, teamName, botUserId, appId } = this.workspace.identity;
    return {
      ok: true,
      token_type: 'bot',
      scope: [...this.workspace.scopes].join(','),
      bot_user_id: botUserId,
      app_id: appId,
      team: { id: teamId, name: teamName },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: user },
    };
  }
}
