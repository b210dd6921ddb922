/**
 * `/country follow <name>`, `/country unfollow <name>`, `/country following`: a direct message when a
 * briefing has a story about a followed country (one per briefing, see subscriptions/follow-ons.ts).
 */
import { countryFlag, countryName, resolveCountry } from '../../countries/index.js';
import type { FollowStore } from '../../store/types.js';
import { countryList } from '../../subscriptions/render.js';
import { escapeMrkdwn } from '../escape.js';
import { typedText } from './answer.js';
import { type Answer, clip, section } from './blocks.js';

const FOLLOW_VERB = /^\s*(follow|unfollow|following)(?:\s+|$)/i;

/** True when `/country …` is about follows rather than a search. */
export function isFollowCommand(raw: string): boolean {
  return FOLLOW_VERB.test(typedText(raw));
}

function reply(text: string): Answer {
  return { text: clip(text.replace(/\*/g, '')), blocks: [section(text)] };
}

export async function answerFollowCommand(
  raw: string,
  ctx: { store: FollowStore; user: string },
): Promise<Answer> {
  const text = typedText(raw).trim();
  const match = FOLLOW_VERB.exec(text);
  const verb = (match?.[1] ?? '').toLowerCase();
  const name = text.slice(match?.[0].length ?? 0).trim();
  if (verb === 'following') {
    const follows = await ctx.store.followsOf(ctx.user);
    if (follows.length === 0)
      return reply(
        'You follow no country. `/country follow Peru` sends you a direct message when Peru is in a briefing.',
      );
    const muted = await ctx.store.mutedFollower(ctx.user);
    const note = muted ? ' (paused: I could not write to you; follow a country again to resume)' : '';
    return reply(`You follow ${countryList(follows)}${note}. \`/country unfollow <name>\` stops one.`);
  }
  if (!name) return reply(`Which country? e.g. \`/country ${verb} Peru\`.`);
  const resolved = resolveCountry(name);
  if (!('code' in resolved)) {
    const offer = resolved.suggestions.map((s) => `*${escapeMrkdwn(s.name)}*`).join(', ');
    return reply(`No country matches “${escapeMrkdwn(name)}”.${offer ? ` Did you mean ${offer}?` : ''}`);
  }
  const label = `${countryFlag(resolved.code)} *${escapeMrkdwn(countryName(resolved.code))}*`.trim();
  if (verb === 'follow') {
    const added = await ctx.store.follow(ctx.user, resolved.code);
    return reply(
      added
        ? `You now follow ${label}: when a briefing has a story about it, I will send you a direct message (one per briefing).`
        : `You already follow ${label}.`,
    );
  }
  const removed = await ctx.store.unfollow(ctx.user, resolved.code);
  return reply(removed ? `You no longer follow ${label}.` : `You were not following ${label}.`);
}
