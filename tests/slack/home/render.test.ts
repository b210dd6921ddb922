import { describe, expect, it } from 'vitest';
import { checkBlocks, MAX_VIEW_BLOCKS } from '../../../src/local/block-limits.js';
import {
  ACTION_RETRY_DELIVERY,
  HOME_BRIEFINGS,
  HOME_DELIVERIES,
  type HomeInput,
  type HomeSettings,
  renderHome,
} from '../../../src/slack/home/render.js';

const settings: HomeSettings = {
  briefingChannel: 'C0BRIEFING1',
  digestChannel: 'digest',
  digestTime: '17:00',
  timeZone: 'America/Lima',
  threadLayout: 'briefing',
  allowedSenders: ['@paper.org'],
  senderAuth: 'require',
  waysIn: [{ name: 'SMTP', detail: 'port 2525, for briefings@paper.org' }],
  addresses: ['briefings@paper.org'],
  adminUsers: [],
};

function input(overrides: Partial<HomeInput> = {}): HomeInput {
  return { briefings: [], briefingCount: 0, deliveries: [], moreDeliveries: 0, settings, ...overrides };
}

describe('renderHome', () => {
  it('stays within a view’s limits with huge titles and hundreds of failed deliveries', () => {
    const huge = `${'Very long title '.repeat(400)}\u202e`;
    const view = renderHome(
      input({
        briefings: Array.from({ length: 40 }, (_, i) => ({
          id: `b${i}`,
          publication: huge,
          title: huge,
          date: '2021-10-07',
          sections: 6,
          threadUrl: 'https://newsroom.slack.com/archives/C1/p1',
        })),
        briefingCount: 40,
        deliveries: Array.from({ length: 300 }, (_, i) => ({
          id: `d${i}`,
          state: 'failed' as const,
          title: huge,
          date: '2021-10-07',
          attempts: 5,
          lastError: huge,
          nextAttemptAt: null,
        })),
        moreDeliveries: 0,
        notice: 'x'.repeat(5000),
      }),
    );
    expect(view.blocks.length).toBeLessThanOrEqual(MAX_VIEW_BLOCKS);
    const checked = checkBlocks(view.blocks, MAX_VIEW_BLOCKS);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(
      view.blocks.filter((b) => (b.accessory as { action_id?: string })?.action_id === ACTION_RETRY_DELIVERY),
    ).toHaveLength(HOME_DELIVERIES);
    const json = JSON.stringify(view);
    expect(json).toContain('and 280 more');
    expect(json).not.toContain('\u202e');
    const rich = view.blocks.find((b) => b.type === 'rich_text') as unknown as {
      elements: [{ elements: unknown[] }];
    };
    expect(rich.elements[0].elements).toHaveLength(HOME_BRIEFINGS);
  });

  it('says so when there is nothing yet, and names the channel by id as a mention', () => {
    const json = JSON.stringify(renderHome(input()));
    expect(json).toContain('No briefings yet');
    expect(json).toContain('None: every briefing is posted.');
    expect(json).toContain('<#C0BRIEFING1>');
    expect(json).toContain('#digest');
    expect(json).toContain('17:00 (America/Lima)');
    expect(json).toContain('@paper.org');
    expect(json).toContain('to briefings@paper.org');
  });
});
