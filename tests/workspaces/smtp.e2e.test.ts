/**
 * The built-in SMTP receiver with many workspaces: nodemailer as the sending server, talking to the bot
 * the world starts (OAuth mode, two workspaces). The recipient's plus-address picks the workspace;
 * an address naming no installed workspace — or none, with several installed — is refused at RCPT TO
 * with 550 and the reason (logged too), before the message is sent; a message for two workspaces is
 * split by a 452 for the second.
 */
import type { Logger } from '@slack/bolt';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { composeEml } from '../support/seed.js';
import { closeWorld, install, SIGNING_SECRET, startWorld, type World } from './world.js';

afterEach(closeWorld);

/** Keeps every warning (the refusals are logged as such); errors fail the test by being kept too. */
function keepingLogger(): Logger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const text = (args: unknown[]) => args.map(String).join(' ');
  return {
    warnings,
    errors,
    debug: () => {},
    info: () => {},
    warn: (...args: unknown[]) => warnings.push(text(args)),
    error: (...args: unknown[]) => errors.push(text(args)),
    setLevel: () => {},
    getLevel: () => 'warn' as never,
    setName: () => {},
  };
}

async function startSmtpWorld(env: Record<string, string> = {}) {
  const port = await freePort();
  const logger = keepingLogger();
  const w = await startWorld(
    { SMTP_PORT: String(port), SMTP_RECIPIENTS: 'briefings@desk.example', ...env },
    { logger },
  );
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  const send = async (to: string | string[], raw?: Buffer) =>
    transport.sendMail({ envelope: { from: 'molly@example.org', to }, raw: raw ?? (await composeEml()) });
  return { w, logger, send };
}

const briefings = async (w: World, teamId: string) =>
  (await w.bot.registry.get(teamId))!.services.store.briefingCount();

describe('SMTP with many workspaces', () => {
  it('files mail to briefings+T…@ into that workspace and refuses what names none', async () => {
    const { w, logger, send } = await startSmtpWorld();
    expect((await install(w, w.a)).status).toBe(200);
    expect((await install(w, w.b)).status).toBe(200);

    const toA = await send('briefings+T0NEWSA@desk.example');
    expect(toA.response).toMatch(/^250 /);
    await (await w.bot.registry.get('T0NEWSA'))!.services.deliverer.idle();
    expect(w.a.messages('briefings').length).toBeGreaterThan(0);
    expect(w.b.messages('briefings')).toEqual([]);
    expect(await briefings(w, 'T0NEWSA')).toBe(1);
    expect(await briefings(w, 'T0NEWSB')).toBe(0);

    // A relay that lower-cases the local part still reaches B.
    expect((await send('briefings+t0newsb@desk.example')).response).toMatch(/^250 /);
    expect(await briefings(w, 'T0NEWSB')).toBe(1);

    // Refused at RCPT TO: nodemailer never gets to send the message.
    const refusals: Array<[string, RegExp]> = [
      ['briefings@desk.example', /Which workspace is this mail for\? Add \+T/],
      ['briefings+T0NOSUCH@desk.example', /not installed in workspace T0NOSUCH/],
      ['briefings+news@desk.example', /is not a Slack workspace id/],
      ['someone+T0NEWSA@desk.example', /No such recipient here/],
    ];
    for (const [to, reason] of refusals) {
      const error = await send(to).then(
        () => null,
        (e: { responseCode?: number; response?: string; rejected?: string[] }) => e,
      );
      expect(error, to).toMatchObject({ responseCode: 550 });
      expect(error?.response, to).toMatch(reason);
      // Anyone can connect to an MX and ask: the reply never lists the installed workspaces.
      expect(error?.response, to).not.toMatch(/T0NEWSB/);
      expect(
        logger.warnings.some((line) => line.includes(`refused recipient ${to}`) && reason.test(line)),
      ).toBe(true);
    }
    expect(await briefings(w, 'T0NEWSA')).toBe(1);
    expect(logger.errors).toEqual([]);
  });

  it('splits a message for two workspaces: the second recipient is told 452 and sent again on its own', async () => {
    const { w, send } = await startSmtpWorld();
    expect((await install(w, w.a)).status).toBe(200);
    expect((await install(w, w.b)).status).toBe(200);
    const both = await send(['briefings+T0NEWSA@desk.example', 'briefings+T0NEWSB@desk.example']);
    expect(both.accepted).toEqual(['briefings+T0NEWSA@desk.example']);
    expect(both.rejected).toEqual(['briefings+T0NEWSB@desk.example']);
    expect(both.rejectedErrors?.[0]).toMatchObject({ responseCode: 452 });
    expect(await briefings(w, 'T0NEWSA')).toBe(1);
    expect(await briefings(w, 'T0NEWSB')).toBe(0);
    // What the sending server does with a 452: the recipient again, in a transaction of its own.
    expect((await send('briefings+T0NEWSB@desk.example')).response).toMatch(/^250 /);
    expect(await briefings(w, 'T0NEWSB')).toBe(1);
  });

  it('takes mail without +T… for the only installed workspace, or for DEFAULT_TEAM_ID, and not for a removed one', async () => {
    const { w, send } = await startSmtpWorld();
    await expect(send('briefings@desk.example')).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/No workspace has the bot installed/),
    });
    expect((await install(w, w.a)).status).toBe(200);
    expect((await send('briefings@desk.example')).response).toMatch(/^250 /);
    expect(await briefings(w, 'T0NEWSA')).toBe(1);

    // Removed from A: its address is refused, not filed elsewhere.
    await w.a.uninstall(`${w.url}/slack/events`, SIGNING_SECRET);
    await expect(send('briefings+T0NEWSA@desk.example')).rejects.toMatchObject({ responseCode: 550 });
  });

  it('sends mail naming no workspace to DEFAULT_TEAM_ID even with several installed', async () => {
    const { w, send } = await startSmtpWorld({ DEFAULT_TEAM_ID: 'T0NEWSB' });
    expect((await install(w, w.a)).status).toBe(200);
    expect((await install(w, w.b)).status).toBe(200);
    expect((await send('briefings@desk.example')).response).toMatch(/^250 /);
    expect(await briefings(w, 'T0NEWSB')).toBe(1);
    expect(await briefings(w, 'T0NEWSA')).toBe(0);
  });
});
