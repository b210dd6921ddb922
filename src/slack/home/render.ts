/**
 * The App Home tab (views.publish), pure: what the bot holds and how it is set up → a `home` view.
 * Words from emails (titles, publications) go only into rich_text `text` elements and plain_text
 * objects, which Slack shows literally: no email can ping, link, format or hide anything here.
 * Settings come from the operator's environment and are escaped for mrkdwn all the same.
 */
import { escapeInline, plainText } from '../escape.js';
import { formatBriefingDate } from '../render/card.js';
import { bold, bulletList, link, type RichInline, richText, txt } from '../render/rich.js';

/** Block Kit: 100 blocks per view (https://docs.slack.dev/reference/block-kit/blocks). */
export const MAX_VIEW_BLOCKS = 100;
/** Briefings listed: the last few are what an admin checks; /briefing answers for older days. */
export const HOME_BRIEFINGS = 10;
/** Deliveries listed (one block each): far under the view's 100 blocks with everything else. */
export const HOME_DELIVERIES = 20;
/** Titles and publications are cut here: a line per briefing, and section text ≤ 3000 in all. */
const MAX_TITLE = 150;
/** Slack's last error, as stored (a Slack error code and a short reason): one line. */
const MAX_ERROR = 300;
/** A section field holds at most 2,000 characters. */
const MAX_FIELD = 2000;

export const ACTION_RETRY_DELIVERY = 'home_retry_delivery';

export interface HomeBriefing {
  id: string;
  publication: string | null;
  title: string;
  date: string;
  sections: number;
  /** The thread's permalink (the card's), when Slack gave one. */
  threadUrl: string | null;
}

export interface HomeDelivery {
  id: string;
  state: 'pending' | 'posting' | 'failed';
  title: string;
  date: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

export interface WayIn {
  name: string;
  detail: string;
}

export interface HomeSettings {
  briefingChannel: string;
  digestChannel: string;
  digestTime: string;
  timeZone: string;
  threadLayout: string;
  /** Empty: anyone who has the webhook secret. */
  allowedSenders: string[];
  senderAuth: string;
  waysIn: WayIn[];
  /** Addresses mail can be sent to (SMTP_RECIPIENTS, the watched mailbox). */
  addresses: string[];
  adminUsers: string[];
}

export interface HomeInput {
  briefings: HomeBriefing[];
  briefingCount: number;
  deliveries: HomeDelivery[];
  /** Unfinished or failed deliveries beyond those listed. */
  moreDeliveries: number;
  settings: HomeSettings;
  /** A line from the bot at the top (the outcome of a Retry press); the bot's own words. */
  notice?: string;
}

export type HomeBlock = Record<string, unknown> & { type: string };

export interface HomeView {
  type: 'home';
  blocks: HomeBlock[];
}

/** On one line, at most `max` characters. */
function clipped(text: string, max: number): string {
  return cut(text.replace(/\s+/g, ' ').trim(), max);
}

/** At most `max` characters, line breaks kept. */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const header = (text: string): HomeBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clipped(text, 150), emoji: true },
});
const mrkdwnSection = (text: string): HomeBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): HomeBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** A channel from the config: an id becomes a mention Slack resolves; a name is shown as typed. */
function channelLabel(ref: string): string {
  return /^[CG][A-Z0-9]{6,}$/.test(ref) ? `<#${ref}>` : `#${escapeInline(ref.replace(/^#/, ''))}`;
}

function briefingLine(b: HomeBriefing): RichInline[] {
  const name = clipped(b.publication ?? b.title, MAX_TITLE);
  const elements: RichInline[] = [bold(name)];
  if (b.publication && b.title && b.title !== b.publication)
    elements.push(txt(` — ${clipped(b.title, MAX_TITLE)}`));
  elements.push(
    txt(` · ${formatBriefingDate(b.date)} · ${b.sections} section${b.sections === 1 ? '' : 's'}`),
  );
  if (b.threadUrl) elements.push(txt(' · '), ...link(b.threadUrl, 'open the thread'));
  return elements;
}

function deliveryBlock(d: HomeDelivery): HomeBlock {
  const when =
    d.state === 'failed' ? 'failed' : d.nextAttemptAt ? `waiting, next try ${d.nextAttemptAt}` : d.state;
  const error = d.lastError ? ` — ${clipped(d.lastError, MAX_ERROR)}` : '';
  const text = `${clipped(d.title, MAX_TITLE)} (${d.date}) · ${when} after ${d.attempts} tr${d.attempts === 1 ? 'y' : 'ies'}${error} · id ${d.id}`;
  const block: HomeBlock = {
    type: 'section',
    block_id: `delivery_${d.id}`.slice(0, 255),
    text: { type: 'plain_text', text: plainText(text), emoji: false },
  };
  // A waiting delivery can be tried now too (the deliverer's retry starts it at once); one posting is busy.
  if (d.state !== 'posting') {
    block.accessory = {
      type: 'button',
      action_id: ACTION_RETRY_DELIVERY,
      text: { type: 'plain_text', text: 'Retry' },
      value: d.id,
      style: 'primary',
    };
  }
  return block;
}

function field(label: string, value: string) {
  return { type: 'mrkdwn', text: cut(`*${label}*\n${value}`, MAX_FIELD) };
}

function settingsBlocks(s: HomeSettings): HomeBlock[] {
  const senders = s.allowedSenders.length
    ? s.allowedSenders.map(escapeInline).join(', ')
    : 'anyone who has the webhook secret';
  const waysIn = s.waysIn.length
    ? s.waysIn.map((w) => `• ${escapeInline(w.name)}: ${escapeInline(w.detail)}`).join('\n')
    : 'none set up';
  return [
    header('Settings in force'),
    {
      type: 'section',
      fields: [
        field('Briefings channel', channelLabel(s.briefingChannel)),
        field('Digest channel', channelLabel(s.digestChannel)),
        field('Daily digest', `${escapeInline(s.digestTime)} (${escapeInline(s.timeZone)})`),
        field(
          'Thread layout',
          s.threadLayout === 'sections' ? 'one thread per section' : 'one thread per briefing',
        ),
        field('Allowed senders', senders),
        field('Sender authentication', escapeInline(s.senderAuth)),
      ],
    },
    mrkdwnSection(cut(`*Ways in*\n${waysIn}`, 3000)),
    context(
      `Retry is for workspace admins and owners${s.adminUsers.length ? ` and ${s.adminUsers.map((id) => `<@${id}>`).join(', ')}` : ''} (ADMIN_USERS).`,
    ),
  ];
}

function forwardingBlocks(s: HomeSettings): HomeBlock[] {
  const to = s.addresses.length
    ? `Forward the briefing email, as it is or attached as an .eml, to ${s.addresses.map(escapeInline).join(' or ')}.`
    : 'Forward the briefing email, as it is or attached as an .eml, to the inbound address your mail provider sends to the bot (see the ways in above).';
  return [
    header('Forward mail to the bot'),
    mrkdwnSection(
      [
        to,
        '• The forward keeps the briefing: no need to trim it; mail-client and list chrome are dropped.',
        '• The same briefing arriving twice, by any way, is posted once.',
        '• Already in Slack? On a message with the briefing, or an .eml file shared in a channel, choose *Post as briefing* from the message’s ⋯ menu (More actions).',
        ...(s.allowedSenders.length
          ? ['• Only the allowed senders above are taken; others are refused with the reason logged.']
          : []),
      ].join('\n'),
    ),
  ];
}

export function renderHome(input: HomeInput): HomeView {
  const blocks: HomeBlock[] = [];
  if (input.notice) blocks.push(mrkdwnSection(cut(input.notice, 3000)), { type: 'divider' });

  blocks.push(header('Latest briefings'));
  if (input.briefings.length === 0) {
    blocks.push(mrkdwnSection('No briefings yet. Forward one to the bot (below) and it shows up here.'));
  } else {
    blocks.push({ ...richText([bulletList(input.briefings.slice(0, HOME_BRIEFINGS).map(briefingLine))]) });
    blocks.push(
      context(
        `${input.briefingCount} briefing${input.briefingCount === 1 ? '' : 's'} in the archive · \`/briefing\` for any day`,
      ),
    );
  }

  blocks.push({ type: 'divider' }, header('Deliveries waiting or failed'));
  if (input.deliveries.length === 0) {
    blocks.push(mrkdwnSection('None: every briefing is posted.'));
  } else {
    blocks.push(...input.deliveries.slice(0, HOME_DELIVERIES).map(deliveryBlock));
    const more = input.moreDeliveries + Math.max(0, input.deliveries.length - HOME_DELIVERIES);
    if (more > 0) blocks.push(context(`and ${more} more: \`briefing-bot deliveries\` lists them all.`));
    blocks.push(
      context(
        'Waiting deliveries are retried by the bot itself (Retry tries now); a failed one needs Retry once its cause (an invite, a channel) is fixed.',
      ),
    );
  }

  blocks.push({ type: 'divider' }, ...settingsBlocks(input.settings));
  blocks.push({ type: 'divider' }, ...forwardingBlocks(input.settings));
  return { type: 'home', blocks: blocks.slice(0, MAX_VIEW_BLOCKS) };
}
