/**
 * A desk channel as /desk names it → its id, through the same lookup (and join, for a public channel)
 * as BRIEFING_CHANNEL, so a desk the bot cannot post in is refused when it is added, not at the next
 * briefing.
 */

import type { Services } from '../../services.js';
import { DEFAULT_RETRY_POLICY, realSleep, withSlackRetries } from '../api/call.js';
import { resolveChannel } from '../api/channel.js';

export function deskChannelResolver(services: Pick<Services, 'client'>): (ref: string) => Promise<string> {
  const call = <T>(fn: () => Promise<T>): Promise<T> => withSlackRetries(fn, DEFAULT_RETRY_POLICY, realSleep);
  return (ref) => resolveChannel(services.client, ref, call);
}
