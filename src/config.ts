import { type ImapSettings, parseImapSettings } from './mail/imap/settings.js';
import { parseCountryList } from './query/country-list.js';
import { parseInstallationKey } from './workspaces/seal.js';

/**
 * Configuration from the environment (a `.env` file is loaded by the CLI before this runs).
 * `loadConfig` never throws: it returns every problem at once so an operator fixes them in one go.
 */

export type ThreadLayout = 'briefing' | 'sections';
export type DateOrder = 'MDY' | 'DMY';

export interface Config {
  /**
   * 'slack' with a bot token (one workspace); 'oauth' with SLACK_CLIENT_ID/SECRET and SLACK_STATE_SECRET
   * (any number of workspaces install it, src/workspaces); 'local' runs against the built-in local workspace.
   */
  mode: 'slack' | 'oauth' | 'local';
  slackBotToken: string | null;
  slackSigningSecret: string | null;
  slackAppToken: string | null;
  /** OAuth (mode 'oauth'): the app's credentials and the secret Bolt signs its `state` with. */
  slackClientId: string | null;
  slackClientSecret: string | null;
  slackStateSecret: string | null;
  /** SLACK_REDIRECT_URI: sent with the install; null lets Slack use the app's only redirect URL. */
  slackRedirectUri: string | null;
  /**
   * DEFAULT_TEAM_ID: the workspace that owns the archive in DATA_DIR (or the database's own schema) in
   * OAuth mode — the one a single-token bot served before — and that IMAP mail, SMTP mail without a
   * `+T…` tag and webhook mail without `?team=` go to. Null: every workspace starts a fresh archive.
   */
  defaultTeamId: string | null;
  /** INSTALLATION_KEY (32 bytes): installations are stored AES-256-GCM encrypted; null: plain. */
  installationKey: Buffer | null;
  /** Web API base URL, ending in '/'. */
  slackApiUrl: string;
  briefingChannel: string;
  digestChannel: string;
  mailWebhookSecret: string | null;
  mailgunSigningKey: string | null;
  /** Lower-cased addresses and '@domain' entries; empty means anyone who has the secret. */
  allowedSenders: string[];
  /** Whether an allowed sender must be authenticated by the message (SENDER_AUTH). */
  senderAuth: 'require' | 'prefer' | 'off';
  /** Lower-cased authserv-ids whose topmost Authentication-Results is trusted. */
  senderAuthServers: string[];
  mailMaxBytes: number;
  /**
   * Slack user ids (ADMIN_USERS) who may press Retry in App Home besides the workspace's admins and
   * owners (users.info says so).
   */
  adminUsers: string[];
  /** Port of the built-in SMTP receiver (SMTP_PORT); null: no SMTP. */
  smtpPort: number | null;
  /** Lower-cased addresses the SMTP receiver takes mail for; empty: any. */
  smtpRecipients: string[];
  /** PEM files for STARTTLS (SMTP_TLS_CERT / SMTP_TLS_KEY); both or neither. */
  smtpTlsCert: string | null;
  smtpTlsKey: string | null;
  /** SNS topics whose SES notifications are taken at /mail/inbound/sns (SNS_TOPIC_ARNS). */
  snsTopicArns: string[];
  /** The watched mailbox (IMAP_URL and friends); null: no mailbox. */
  imap: ImapSettings | null;
  /**
   * IMAP_TEAM_ID, many workspaces only: the workspace the watched mailbox files into (null: DEFAULT_TEAM_ID's;
   * with neither, IMAP_URL is a configuration problem).
   */
  imapTeamId: string | null;
  dataDir: string;
  /** postgres://… selects the PostgreSQL store (several instances may share it); null: lowdb in dataDir. */
  databaseUrl: string | null;
  /**
   * CLAIM_LEASE_MS: how long a claim (a delivery, a channel's turn, a day's digest) outlives the last
   * renewal of the instance holding it — the longest a killed instance's work waits for another
   * instance. Only matters with several instances on DATABASE_URL.
   */
  claimLeaseMs: number;
  threadLayout: ThreadLayout;
  port: number;
  host: string;
  newsroomTz: string;
  dateOrder: DateOrder;
  /** HH:mm in newsroomTz. */
  digestTime: string;
  digestSkipEmpty: boolean;
  /** DESKS: fixed desks (channel → countries), beside those set with /desk. */
  desks: FixedDesk[];
  /** How far back a section's "Previously on …" line looks, in days. */
  previouslyDays: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** 'json' (one object per line, for a log collector) or 'pretty' (for a person at a terminal). */
  logFormat: 'json' | 'pretty';
}

export interface FixedDesk {
  /** A channel id or a name without '#'. */
  channel: string;
  countries: string[];
}

export interface ConfigResult {
  config: Config;
  problems: string[];
}

const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
/** 10 MB: a briefing with pasted articles is ~50 KB; anything near this is not a briefing. */
const DEFAULT_MAIL_MAX_BYTES = 10 * 1024 * 1024;

function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const problems: string[] = [];
  const slackBotToken = blankToNull(env.SLACK_BOT_TOKEN);
  const slackSigningSecret = blankToNull(env.SLACK_SIGNING_SECRET);
  const slackAppToken = blankToNull(env.SLACK_APP_TOKEN);
  const slackClientId = blankToNull(env.SLACK_CLIENT_ID);
  const slackClientSecret = blankToNull(env.SLACK_CLIENT_SECRET);
  const slackStateSecret = blankToNull(env.SLACK_STATE_SECRET);
  const oauth = Boolean(slackClientId || slackClientSecret || slackStateSecret) && !slackBotToken;
  const mode = slackBotToken ? 'slack' : oauth ? 'oauth' : 'local';
  checkOauth(
    env,
    { slackBotToken, slackClientId, slackClientSecret, slackStateSecret, slackAppToken, slackSigningSecret },
    problems,
  );
  const defaultTeamId = blankToNull(env.DEFAULT_TEAM_ID);
  if (defaultTeamId && !/^T[A-Z0-9_]{2,20}$/.test(defaultTeamId))
    problems.push(`DEFAULT_TEAM_ID must be a Slack workspace id (T…), got "${defaultTeamId}".`);
  const installationKeyRaw = blankToNull(env.INSTALLATION_KEY);
  const installationKey = installationKeyRaw ? parseInstallationKey(installationKeyRaw) : null;
  if (installationKeyRaw && !installationKey)
    problems.push('INSTALLATION_KEY must be 32 bytes: 64 hex digits or base64 (openssl rand -base64 32).');

  if (slackBotToken && !slackBotToken.startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN must be a bot token starting with "xoxb-".');
  }
  if (slackAppToken && !slackAppToken.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN must be an app-level token starting with "xapp-" (Socket Mode).');
  }
  if (mode === 'slack' && !slackSigningSecret && !slackAppToken) {
    problems.push(
      'SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN to use Socket Mode).',
    );
  }
  if (!slackBotToken && !oauth && (slackSigningSecret || slackAppToken)) {
    problems.push(
      'SLACK_SIGNING_SECRET/SLACK_APP_TOKEN are set but SLACK_BOT_TOKEN is not: set all of them, or none to run locally.',
    );
  }

  let slackApiUrl = blankToNull(env.SLACK_API_URL) ?? DEFAULT_SLACK_API_URL;
  try {
    const url = new URL(slackApiUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
    if (!slackApiUrl.endsWith('/')) slackApiUrl += '/';
  } catch {
    problems.push(`SLACK_API_URL is not an http(s) URL: "${slackApiUrl}".`);
    slackApiUrl = DEFAULT_SLACK_API_URL;
  }

  const briefingChannel = blankToNull(env.BRIEFING_CHANNEL) ?? (mode === 'local' ? 'briefings' : '');
  if (!briefingChannel)
    problems.push('BRIEFING_CHANNEL is required: the channel id (C…) or name to post briefings in.');
  // A channel id names a channel of one workspace; in many, the same name is looked up in each.
  for (const [name, value] of [
    ['BRIEFING_CHANNEL', briefingChannel],
    ['DIGEST_CHANNEL', blankToNull(env.DIGEST_CHANNEL)],
  ] as const) {
    if (mode === 'oauth' && value && /^[CG][A-Z0-9]{8,}$/.test(value))
      problems.push(
        `${name} must be a channel name with OAuth (each workspace has its own ids), got "${value}".`,
      );
  }
  const digestChannel = blankToNull(env.DIGEST_CHANNEL) ?? (mode === 'local' ? 'digest' : briefingChannel);

  const allowedSenders = (env.ALLOWED_SENDERS ?? '')
    .split(/[,\s]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of allowedSenders) {
    if (!/^[^@\s]*@[^@\s]+\.[^@\s]+$/.test(entry)) {
      problems.push(`ALLOWED_SENDERS entry "${entry}" is neither an address nor "@domain".`);
    }
  }

  const senderAuthRaw = (
    blankToNull(env.SENDER_AUTH) ?? (allowedSenders.length > 0 ? 'require' : 'off')
  ).toLowerCase();
  const senderAuth =
    (['require', 'prefer', 'off'] as const).find((mode) => mode === senderAuthRaw) ?? 'require';
  if (senderAuth !== senderAuthRaw)
    problems.push(`SENDER_AUTH must be require, prefer or off, got "${senderAuthRaw}".`);
  const senderAuthServers = (env.SENDER_AUTH_SERVERS ?? '')
    .split(/[,\s]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);

  const adminUsers = (env.ADMIN_USERS ?? '').split(/[,\s]+/).filter(Boolean);
  for (const id of adminUsers) {
    if (!/^[UW][A-Z0-9_]{2,}$/.test(id))
      problems.push(`ADMIN_USERS entry "${id}" is not a Slack user id (U… or W…).`);
  }

  const smtpPort =
    blankToNull(env.SMTP_PORT) === null ? null : parsePositiveInt(env.SMTP_PORT, 25, 'SMTP_PORT', problems);
  if (smtpPort !== null && smtpPort > 65535)
    problems.push(`SMTP_PORT must be at most 65535, got ${smtpPort}.`);
  const smtpRecipients = (env.SMTP_RECIPIENTS ?? '')
    .split(/[,\s]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  const smtpTlsCert = blankToNull(env.SMTP_TLS_CERT);
  const smtpTlsKey = blankToNull(env.SMTP_TLS_KEY);
  if ((smtpTlsCert === null) !== (smtpTlsKey === null)) {
    problems.push(
      'SMTP_TLS_CERT and SMTP_TLS_KEY go together: set both (PEM files) for STARTTLS, or neither.',
    );
  }

  const snsTopicArns = (env.SNS_TOPIC_ARNS ?? '').split(/[,\s]+/).filter(Boolean);
  for (const arn of snsTopicArns) {
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(arn)) {
      problems.push(
        `SNS_TOPIC_ARNS entry "${arn}" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME).`,
      );
    }
  }

  const imap = parseImapSettings(env, problems);
  const imapTeamId = blankToNull(env.IMAP_TEAM_ID)?.toUpperCase() ?? null;
  checkImapTeam({ mode, imap, imapTeamId, defaultTeamId }, problems);

  const mailMaxBytes = parsePositiveInt(
    env.MAIL_MAX_BYTES,
    DEFAULT_MAIL_MAX_BYTES,
    'MAIL_MAX_BYTES',
    problems,
  );
  const port = parsePositiveInt(env.PORT, 3000, 'PORT', problems);
  if (port > 65535) problems.push(`PORT must be at most 65535, got ${port}.`);

  const layoutRaw = (blankToNull(env.THREAD_LAYOUT) ?? 'briefing').toLowerCase();
  if (layoutRaw !== 'briefing' && layoutRaw !== 'sections') {
    problems.push(`THREAD_LAYOUT must be "briefing" or "sections", got "${layoutRaw}".`);
  }
  const threadLayout: ThreadLayout = layoutRaw === 'sections' ? 'sections' : 'briefing';

  const newsroomTz = blankToNull(env.NEWSROOM_TZ) ?? 'America/New_York';
  if (!isValidTimeZone(newsroomTz)) problems.push(`NEWSROOM_TZ is not an IANA time zone: "${newsroomTz}".`);

  const dateOrderRaw = (blankToNull(env.DATE_ORDER) ?? 'MDY').toUpperCase();
  if (dateOrderRaw !== 'MDY' && dateOrderRaw !== 'DMY')
    problems.push(`DATE_ORDER must be MDY or DMY, got "${dateOrderRaw}".`);

  const digestTime = blankToNull(env.DIGEST_TIME) ?? '17:00';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(digestTime))
    problems.push(`DIGEST_TIME must be HH:mm (24-hour), got "${digestTime}".`);

  const skipRaw = (blankToNull(env.DIGEST_SKIP_EMPTY) ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(skipRaw)) {
    problems.push(`DIGEST_SKIP_EMPTY must be true or false, got "${skipRaw}".`);
  }

  const desks = parseDesks(env.DESKS, problems);
  const previouslyDays = parsePositiveInt(env.PREVIOUSLY_DAYS, 30, 'PREVIOUSLY_DAYS', problems);

  const logLevelRaw = (blankToNull(env.LOG_LEVEL) ?? 'info').toLowerCase();
  const logLevels = ['debug', 'info', 'warn', 'error'] as const;
  const logLevel = logLevels.find((level) => level === logLevelRaw) ?? 'info';
  if (logLevel !== logLevelRaw)
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevelRaw}".`);

  const logFormatRaw = (blankToNull(env.LOG_FORMAT) ?? 'json').toLowerCase();
  if (logFormatRaw !== 'json' && logFormatRaw !== 'pretty')
    problems.push(`LOG_FORMAT must be json or pretty, got "${logFormatRaw}".`);

  const databaseUrl = blankToNull(env.DATABASE_URL);
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//i.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// (or postgresql://) URL.');

  return {
    config: {
      mode,
      slackBotToken,
      slackSigningSecret,
      slackAppToken,
      slackClientId,
      slackClientSecret,
      slackStateSecret,
      slackRedirectUri: blankToNull(env.SLACK_REDIRECT_URI),
      defaultTeamId,
      installationKey,
      slackApiUrl,
      briefingChannel,
      digestChannel,
      mailWebhookSecret: blankToNull(env.MAIL_WEBHOOK_SECRET),
      mailgunSigningKey: blankToNull(env.MAILGUN_SIGNING_KEY),
      allowedSenders,
      senderAuth,
      senderAuthServers,
      mailMaxBytes,
      adminUsers,
      smtpPort,
      smtpRecipients,
      smtpTlsCert,
      smtpTlsKey,
      snsTopicArns,
      imap,
      imapTeamId,
      dataDir: blankToNull(env.DATA_DIR) ?? './data',
      databaseUrl,
      // 30 s: renewed every 10 s, so a busy event loop or a slow database misses two beats safely.
      claimLeaseMs: parsePositiveInt(env.CLAIM_LEASE_MS, 30_000, 'CLAIM_LEASE_MS', problems),
      threadLayout,
      port,
      // Local mode has no authentication in front of its page: keep it on loopback unless told otherwise.
      host: blankToNull(env.HOST) ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
      newsroomTz,
      dateOrder: dateOrderRaw === 'DMY' ? 'DMY' : 'MDY',
      digestTime,
      digestSkipEmpty: !['false', '0', 'no'].includes(skipRaw),
      desks,
      previouslyDays,
      logLevel,
      logFormat: logFormatRaw === 'pretty' ? 'pretty' : 'json',
    },
    problems,
  };
}

/** Many workspaces need all three OAuth settings and signed HTTP requests; single-token mode needs none. */
function checkOauth(
  env: NodeJS.ProcessEnv,
  s: Record<
    | 'slackBotToken'
    | 'slackClientId'
    | 'slackClientSecret'
    | 'slackStateSecret'
    | 'slackAppToken'
    | 'slackSigningSecret',
    string | null
  >,
  problems: string[],
): void {
  const any = s.slackClientId || s.slackClientSecret || s.slackStateSecret;
  if (!any) return;
  if (s.slackBotToken) {
    problems.push(
      'SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET are both set: use the token for one workspace, or OAuth for many, not both.',
    );
    return;
  }
  const missing = (['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const).filter(
    (name) => !blankToNull(env[name]),
  );
  if (missing.length > 0)
    problems.push(`Installing in many workspaces (OAuth) also needs ${missing.join(', ')}.`);
  if (!s.slackSigningSecret) problems.push('SLACK_SIGNING_SECRET is required with OAuth (SLACK_CLIENT_ID).');
  // Socket Mode's app token belongs to one app connection; the install pages need the HTTP receiver.
  if (s.slackAppToken)
    problems.push('SLACK_APP_TOKEN (Socket Mode) is not supported with OAuth: use HTTP mode.');
}

/** Which workspace a watched mailbox files into is a question only a bot for many workspaces asks. */
function checkImapTeam(
  s: {
    mode: Config['mode'];
    imap: ImapSettings | null;
    imapTeamId: string | null;
    defaultTeamId: string | null;
  },
  problems: string[],
): void {
  if (s.imapTeamId !== null) {
    if (!/^T[A-Z0-9_]{2,20}$/.test(s.imapTeamId))
      problems.push(`IMAP_TEAM_ID must be a Slack workspace id (T…), got "${s.imapTeamId}".`);
    if (!s.imap) problems.push('IMAP_TEAM_ID is set but IMAP_URL is not: set IMAP_URL to watch a mailbox.');
    else if (s.mode !== 'oauth')
      problems.push(
        'IMAP_TEAM_ID is for a bot serving many workspaces (SLACK_CLIENT_ID); with one workspace the mailbox files into it: leave it out.',
      );
    return;
  }
  if (s.imap && s.mode === 'oauth' && !s.defaultTeamId)
    problems.push(
      'IMAP_URL with many workspaces needs IMAP_TEAM_ID (the workspace the mailbox files into) or DEFAULT_TEAM_ID.',
    );
}

function parsePositiveInt(
  raw: string | undefined,
  fallback: number,
  name: string,
  problems: string[],
): number {
  const value = blankToNull(raw);
  if (value === null) return fallback;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    problems.push(`${name} must be a positive whole number, got "${value}".`);
    return fallback;
  }
  return Number(value);
}

/**
 * DESKS="andes: Peru, Bolivia, Ecuador; C0123ABCD: HT, CU" — desks separated by ";", each a channel
 * (name, #name or id) then ":" and its countries (names, demonyms or codes).
 */
export function parseDesks(raw: string | undefined, problems: string[]): FixedDesk[] {
  const desks: FixedDesk[] = [];
  for (const entry of (raw ?? '').split(';')) {
    if (!entry.trim()) continue;
    const colon = entry.indexOf(':');
    const channel = (colon < 0 ? '' : entry.slice(0, colon)).trim().replace(/^#/, '');
    if (!channel || /\s/.test(channel)) {
      problems.push(`DESKS entry "${entry.trim()}" must be "channel: country, country".`);
      continue;
    }
    const { codes, unknown } = parseCountryList(entry.slice(colon + 1));
    if (unknown.length > 0)
      problems.push(`DESKS entry for ${channel}: no country is named "${unknown.join(' ')}".`);
    if (codes.length === 0) {
      if (unknown.length === 0) problems.push(`DESKS entry for ${channel} names no country.`);
      continue;
    }
    const same = desks.find((desk) => desk.channel.toLowerCase() === channel.toLowerCase());
    if (same) same.countries.push(...codes.filter((code) => !same.countries.includes(code)));
    else desks.push({ channel, countries: codes });
  }
  return desks;
}
