/**
 * Which workspace mail to the built-in SMTP receiver goes to, with many workspaces: the one the
 * recipient's plus-address names, `briefings+T0123ABCD@desk.example` (the part before the first `+` is
 * what SMTP_RECIPIENTS lists). Decided at RCPT TO, so a message for a workspace the bot is not
 * installed in is refused before its body is sent, with a 550 the sending server bounces. Without a
 * `+T…`, mail goes to DEFAULT_TEAM_ID's workspace, or to the only installed one; with several installed
 * and no default it is refused, never guessed.
 *
 * Unlike a webhook URL, the address is chosen by whoever sends the mail: ALLOWED_SENDERS and
 * SENDER_AUTH decide who may send at all, and an allowed sender may address any installed workspace.
 */
import type { RecipientRoute } from '../mail/smtp/index.js';
import { TEAM_ID } from './records.js';
import type { Registry } from './registry.js';

/** `briefings+T0NEWSA@desk.example` → base `briefings@desk.example`, tag `T0NEWSA` (lower-cased base). */
export function splitPlusAddress(address: string): { base: string; tag: string | null } {
  const at = address.lastIndexOf('@');
  const local = at < 0 ? address : address.slice(0, at);
  const domain = at < 0 ? '' : address.slice(at);
  const plus = local.indexOf('+');
  if (plus < 0) return { base: address.toLowerCase(), tag: null };
  return { base: `${local.slice(0, plus)}${domain}`.toLowerCase(), tag: local.slice(plus + 1) };
}

export function workspaceRecipients(deps: {
  /** SMTP_RECIPIENTS, lower-cased, without plus tags; empty: any address. */
  recipients: readonly string[];
  defaultTeamId: string | null;
  registry: Pick<Registry, 'get'>;
  /** The installed workspaces' ids (for mail that names none). */
  installed(): Promise<string[]>;
}): RecipientRoute {
  const allowed = new Set(deps.recipients);
  return async (address) => {
    const { base, tag } = splitPlusAddress(address);
    if (allowed.size > 0 && !allowed.has(base))
      return { ok: false, code: 550, reason: 'No such recipient here' };
    let teamId: string;
    if (tag !== null) {
      // Relays may lower-case a local part; Slack's ids are upper-case.
      teamId = tag.toUpperCase();
      if (!TEAM_ID.test(teamId))
        return {
          ok: false,
          code: 550,
          reason: `"+${tag.slice(0, 40)}" is not a Slack workspace id (T…): address briefings+T…@ this host`,
        };
    } else if (deps.defaultTeamId) {
      teamId = deps.defaultTeamId;
    } else {
      const installed = await deps.installed();
      if (installed.length !== 1)
        return {
          ok: false,
          code: 550,
          reason:
            installed.length === 0
              ? 'No workspace has the bot installed'
              : // The ids are not listed: anyone can connect to an MX and ask.
                'Which workspace is this mail for? Add +T… (the workspace id) to the address',
        };
      teamId = installed[0]!;
    }
    // Starts the workspace if it is installed but not running; a failed start throws (451: try later).
    const runtime = await deps.registry.get(teamId);
    if (!runtime) return { ok: false, code: 550, reason: `The bot is not installed in workspace ${teamId}` };
    return {
      ok: true,
      destination: teamId,
      // Looked up again at DATA: a workspace restarted meanwhile (a reinstall, a new token) takes it.
      ingest: async (input) => {
        const current = await deps.registry.get(teamId);
        if (!current)
          return { status: 'rejected', code: 403, detail: `The bot is not installed in workspace ${teamId}` };
        return current.services.ingest(input);
      },
    };
  };
}
