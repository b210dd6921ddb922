/**
 * The daily digest: what came in today, what it covered, where the conversation was.
 * collect (store → model) → render (model → Block Kit / text) → publish (exactly once) ← scheduler.
 */
export { collectDigest, digestWindow, FRESHNESS_DAYS } from './collect.js';
export type { DigestModel } from './model.js';
export { createDigestPublisher, type DigestOutcome, type PublishDigest } from './publish.js';
export { digestAsText, renderDigest } from './render.js';
export { digestInstant, dueDigestDate } from './schedule.js';
export { type DigestScheduler, startDigestScheduler } from './scheduler.js';
