/**
 * Retrying a delivery, as `briefing-bot deliveries --retry ID` and App Home's Retry button both do:
 * the deliverer resets it (a fresh budget of attempts) and posts what is missing, then the delivery's
 * state says how that went.
 */
import type { Delivery, DeliveryStore } from '../store/types.js';
import type { Deliverer } from './types.js';

export type RetryOutcome = { kind: 'unknown' } | { kind: 'retried'; delivery: Delivery };

export async function retryDelivery(
  deps: { store: DeliveryStore; deliverer: Pick<Deliverer, 'retry'> },
  id: string,
): Promise<RetryOutcome> {
  if (!(await deps.store.getDelivery(id))) return { kind: 'unknown' };
  await deps.deliverer.retry(id);
  const delivery = await deps.store.getDelivery(id);
  return delivery ? { kind: 'retried', delivery } : { kind: 'unknown' };
}

/** One line: `delivery ID: posted, 7 posts` (and the last error when it is not posted). */
export function describeRetry(id: string, outcome: RetryOutcome): string {
  if (outcome.kind === 'unknown') return `No delivery with id ${id}.`;
  const { delivery } = outcome;
  return `delivery ${id}: ${delivery.state}, ${delivery.posts.length} posts${delivery.lastError ? ` (${delivery.lastError})` : ''}`;
}
