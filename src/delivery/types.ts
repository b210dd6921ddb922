/** The deliverer as the rest of the bot sees it: ingest hands it briefings, /healthz and the CLI ask it how it is. */
export interface Deliverer {
  /** Schedules posting of a stored briefing; returns at once. Safe to call twice for the same id. */
  kick(briefingId: string): void;
  /** Resets a failed delivery to pending and posts it; resolves when that attempt ends. */
  retry(briefingId: string): Promise<void>;
  /** BRIEFING_CHANNEL as last seen: 'ok', 'not checked yet', or 'error: <Slack's reason>'. */
  channelStatus(): string;
  /**
   * The store as the deliveries last found it: 'ok', or 'error: …' while its writes fail (a full disk,
   * a lost database) — the deliveries it stopped are retried with backoff until a write succeeds.
   */
  storeStatus(): string;
  /** Looks up the channel and workspace once, at start, so a misconfiguration shows before mail arrives. */
  warmUp(): Promise<void>;
  /** Schedules every unfinished delivery (called at start); resolves once they are scheduled. */
  resumeAll(): Promise<void>;
  /** Resolves when nothing is posting or waiting to post right now (tests, graceful stop). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}
