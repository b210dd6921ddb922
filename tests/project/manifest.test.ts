import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats, { type FormatsPlugin } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_SCOPES } from '../../src/workspaces/scopes.js';

const root = join(import.meta.dirname, '..', '..');
const schemaPath = join(
  root,
  '..',
  'shared',
  'reference',
  'slack-manifest-schema',
  'manifest.schema.1.0.0.json',
);
const hasSchema = existsSync(schemaPath);
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8'));

if (!hasSchema) console.warn(`skipped: Slack manifest schema not found at ${schemaPath} (no ../shared here)`);

describe('manifest.yml', () => {
  it.skipIf(!hasSchema)("validates against Slack's manifest schema", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
    const addFormats = (ajvFormats as unknown as { default: FormatsPlugin }).default;
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares both commands, interactivity, and the events the bot listens to', () => {
    const commands = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect(commands).toEqual(['/briefing', '/country', '/desk']);
    for (const command of manifest.features.slash_commands) {
      expect(command.description.length).toBeGreaterThan(10);
      expect(command.usage_hint.length).toBeGreaterThan(5);
    }
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_mention', 'message.channels', 'message.groups']),
    );
  });

  it('enables the Home tab and the event that publishes it', () => {
    // The Messages tab stays: follow notices are direct messages from the bot.
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
  });

  it('offers the "Post as briefing" message shortcut', () => {
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ name: 'Post as briefing', type: 'message', callback_id: 'post_as_briefing' }),
    ]);
  });

  it('asks for every scope the bot uses and nothing broader', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect(new Set(scopes)).toEqual(
      new Set([
        'chat:write',
        'channels:join',
        'channels:read',
        'groups:read',
        'commands',
        'app_mentions:read',
        'channels:history',
        'groups:history',
        'users:read',
        'im:write',
        'im:history',
        'files:read',
      ]),
    );
    // What an OAuth install asks for (src/workspaces/scopes.ts) is the manifest's list, no more, no less.
    expect(new Set(BOT_SCOPES)).toEqual(new Set(scopes));
  });

  it('comments every scope with why it is needed', () => {
    const lines = readFileSync(join(root, 'manifest.yml'), 'utf8').split('\n');
    const start = lines.findIndex((line) => line.trim() === 'bot:');
    const end = lines.findIndex((line, index) => index > start && /^\S/.test(line));
    const scopeLines = lines
      .slice(start + 1, end)
      .flatMap((line, offset) => (line.trim().startsWith('- ') ? [start + 1 + offset] : []));
    expect(scopeLines.length).toBe(manifest.oauth_config.scopes.bot.length);
    for (const index of scopeLines) expect(lines[index - 1]?.trim().startsWith('#')).toBe(true);
  });
});
