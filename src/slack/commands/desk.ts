/**
 * `/desk add <#channel> <countries…>`, `/desk remove <#channel> [countries…]`, `/desk list`: which
 * channels get, for each briefing, one post listing its sections about their countries. DESKS in the
 * environment sets desks no command can remove.
 */
import type { FixedDesk } from '../../config.js';
import { parseCountryList } from '../../query/country-list.js';
import type { DeskStore } from '../../store/types.js';
import { countryList } from '../../subscriptions/render.js';
import { escapeMrkdwn } from '../escape.js';
import { packPieces } from '../render/split.js';
import { typedText } from './answer.js';
import { type Answer, clip, context, MAX_BLOCKS, MAX_SECTION_TEXT, section } from './blocks.js';

export interface DeskContext {
  store: DeskStore;
  fixedDesks: readonly FixedDesk[];
  /** Who typed it. */
  user: string;
  /**
   * The channel's id once the bot can post there (joined if public); throws with Slack's reason
   * (e.g. a private channel the bot was not invited to).
   */
  resolveChannel: (ref: string) => Promise<string>;
}

const USAGE = [
  '*/desk add #channel <countries>*: each new briefing’s sections about those countries are listed in that channel, one post per briefing, each linked to its post (e.g. `/desk add #andes Peru, Bolivia, Ecuador`).',
  '*/desk remove #channel [countries]*: stop some countries, or the whole desk.',
  '*/desk list*: every desk.',
].join('\n');

function reply(text: string, ...more: string[]): Answer {
  return { text: clip(text), blocks: [section(text), ...more.map((m) => section(m))] };
}

/** `<#C123|andes>` (escaped by Slack), `<#C123>`, `#andes`, `andes`, `C123…` → a channel reference. */
export function channelArg(raw: string): { ref: string; rest: string } | null {
  const text = raw.trim();
  const link = /^<#([A-Z0-9]+)(?:\|[^>]*)?>\s*/i.exec(text);
  if (link) return { ref: link[1]!, rest: text.slice(link[0].length) };
  const plain = /^#?([a-z0-9][a-z0-9._-]{0,79})(?:\s+|$)/i.exec(text);
  return plain ? { ref: plain[1]!, rest: text.slice(plain[0].length) } : null;
}

const mention = (channel: string): string =>
  /^[CG][A-Z0-9]{6,}$/.test(channel) ? `<#${channel}>` : `#${escapeMrkdwn(channel)}`;

export async function answerDeskCommand(raw: string, ctx: DeskContext): Promise<Answer> {
  const text = typedText(raw).trim();
  const [verb = '', ...restWords] = text.split(/\s+/);
  const rest = restWords.join(' ');
  switch (verb.toLowerCase()) {
    case 'add':
      return addDesk(rest, ctx);
    case 'remove':
    case 'rm':
    case 'delete':
      return removeDesk(rest, ctx);
    case 'list':
    case '':
      return listDesks(ctx);
    default:
      return reply(`I do not know “${escapeMrkdwn(verb)}”.`, USAGE);
  }
}

async function addDesk(rest: string, ctx: DeskContext): Promise<Answer> {
  const arg = channelArg(rest);
  if (!arg) return reply('Which channel? e.g. `/desk add #andes Peru, Bolivia`.', USAGE);
  const { codes, unknown } = parseCountryList(arg.rest);
  if (unknown.length > 0)
    return reply(`No country is named “${escapeMrkdwn(unknown.join(' '))}”. Nothing was changed.`, USAGE);
  if (codes.length === 0) return reply(`Which countries should ${mention(arg.ref)} get?`, USAGE);
  let channel: string;
  try {
    channel = await ctx.resolveChannel(arg.ref);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return reply(
      `I cannot post in ${mention(arg.ref)} (${escapeMrkdwn(reason)}). For a private channel, \`/invite @briefing-bot\` there first.`,
    );
  }
  const desk = await ctx.store.addDeskCountries(channel, codes, ctx.user);
  return reply(
    `${mention(channel)} is now a desk for ${countryList(desk.countries)}: each new briefing with sections about them gets one post there.`,
  );
}

async function removeDesk(rest: string, ctx: DeskContext): Promise<Answer> {
  const arg = channelArg(rest);
  if (!arg)
    return reply('Which channel? e.g. `/desk remove #andes` or `/desk remove #andes Ecuador`.', USAGE);
  const { codes, unknown } = parseCountryList(arg.rest);
  if (unknown.length > 0)
    return reply(`No country is named “${escapeMrkdwn(unknown.join(' '))}”. Nothing was changed.`, USAGE);
  const stored = await ctx.store.listDesks();
  // The desk is filed under the id it resolved to; a name typed now may still be how DESKS names it.
  let channel = arg.ref;
  if (!stored.some((desk) => desk.channel.toLowerCase() === channel.toLowerCase())) {
    channel = await ctx.resolveChannel(arg.ref).catch(() => arg.ref);
  }
  const fixed = ctx.fixedDesks.find(
    (desk) => desk.channel.toLowerCase() === arg.ref.toLowerCase() || desk.channel === channel,
  );
  if (!stored.some((desk) => desk.channel.toLowerCase() === channel.toLowerCase())) {
    return reply(
      fixed
        ? `${mention(arg.ref)} is a desk set in DESKS (the bot’s environment): change it there.`
        : `${mention(arg.ref)} is not a desk. \`/desk list\` shows them.`,
    );
  }
  const left = await ctx.store.removeDeskCountries(channel, codes);
  const note = fixed ? ` It stays a desk for ${countryList(fixed.countries)} (set in DESKS).` : '';
  return reply(
    left
      ? `${mention(channel)} is now a desk for ${countryList(left.countries)}.${note}`
      : `${mention(channel)} is no longer a desk.${note}`,
  );
}

async function listDesks(ctx: DeskContext): Promise<Answer> {
  const stored = await ctx.store.listDesks();
  const lines = [
    ...ctx.fixedDesks.map((desk) => `• ${mention(desk.channel)}: ${countryList(desk.countries)} _(DESKS)_`),
    ...stored.map(
      (desk) =>
        `• ${mention(desk.channel)}: ${countryList(desk.countries)}${desk.addedBy ? ` _(added by <@${desk.addedBy}>)_` : ''}`,
    ),
  ];
  if (lines.length === 0) return reply('No desks yet.', USAGE);
  const bodies = packPieces([`*Desks*`, ...lines], '\n', MAX_SECTION_TEXT).slice(0, MAX_BLOCKS - 1);
  return {
    text: clip(`Desks: ${lines.length}`),
    blocks: [...bodies.map((body) => section(body)), context('`/desk add #channel <countries>` adds one.')],
  };
}
