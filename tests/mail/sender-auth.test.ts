/**
 * Sender authenticity (issue 12.2): with ALLOWED_SENDERS set, an allowed address counts only when the
 * message proves it. Messages are signed for real with keys made here; DNS answers come from a fixed
 * table (no network). The forged set — forged From, broken DKIM, a signature of another domain,
 * unaligned SPF, provider verdicts that fail, a replayed or altered signed message — is all refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import type { DnsResolver } from 'mailauth';
import { authenticate } from 'mailauth';
import { sealMessage } from 'mailauth/lib/arc/index.js';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIngest } from '../../src/ingest/ingest.js';
import type { MailInput } from '../../src/ingest/types.js';
import { checkSender, type SenderEvidence, sendgridVerdict } from '../../src/mail/sender-auth/index.js';
import { openMemoryStore } from '../../src/store/index.js';
import {
  composeEml,
  multipart,
  post,
  SEED_BODY,
  startServer,
  type TestServer,
  testConfig,
} from './helpers.js';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);

function rsaKey(): { privateKey: string; record: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`,
  };
}

const molly = rsaKey();
const attacker = rsaKey();
const google = rsaKey();
const records = new Map<string, string[][]>();

/** A fixed DNS: TXT records from the table, NXDOMAIN for everything else. */
const resolver: DnsResolver = async (name, type) => {
  const found = records.get(`${name.toLowerCase()}|${type}`);
  if (found) return found;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

beforeAll(() => {
  records.set('s1._domainkey.example.org|TXT', [[molly.record]]);
  records.set('s1._domainkey.attacker.example|TXT', [[attacker.record]]);
  records.set('arc-20160816._domainkey.google.com|TXT', [[google.record]]);
  records.set('example.org|TXT', [['v=spf1 ip4:192.0.2.10 -all']]);
  records.set('attacker.example|TXT', [['v=spf1 ip4:198.51.100.7 -all']]);
  records.set('_dmarc.example.org|TXT', [['v=DMARC1; p=reject']]);
});

async function sign(message: Buffer, domain: string, privateKey: string): Promise<Buffer> {
  const result = await dkimSign(message, {
    signatureData: [{ signingDomain: domain, selector: 's1', privateKey }],
  });
  expect(result.errors).toEqual([]);
  return Buffer.concat([Buffer.from(result.signatures), message]);
}

const ALLOWED = ['molly@example.org', 'latam@googlegroups.com'];
const options = { resolver, trustedServers: ['mx.google.com'], allowedSenders: ALLOWED };
const raw = (bytes: Buffer, evidence?: SenderEvidence): MailInput =>
  evidence ? { kind: 'raw', raw: bytes, evidence } : { kind: 'raw', raw: bytes };

describe('checkSender on real signed messages', () => {
  it('DKIM signed by the sender’s domain: authenticated, and says how', async () => {
    const signed = await sign(await composeEml(), 'example.org', molly.privateKey);
    expect(await checkSender(raw(signed), 'molly@example.org', options)).toEqual({
      ok: true,
      via: 'DKIM pass (d=example.org)',
    });
  });

  it('a forged From with no signature is refused, naming what failed', async () => {
    const check = await checkSender(raw(await composeEml()), 'molly@example.org', options);
    expect(check).toMatchObject({ ok: false });
    if (check.ok) return;
    expect(check.failed).toContain('no DKIM signature');
    expect(check.failed).toContain('DMARC fail');
  });

  it('a signature broken by a changed body is refused', async () => {
    const signed = await sign(await composeEml(), 'example.org', molly.privateKey);
    const tampered = Buffer.from(signed.toString('latin1').replace('Blinken', 'Blinkin'), 'latin1');
    const check = await checkSender(raw(tampered), 'molly@example.org', options);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.failed).toMatch(/DKIM (neutral|fail)/);
  });

  it('a valid signature of another domain does not prove the From', async () => {
    const signed = await sign(await composeEml(), 'attacker.example', attacker.privateKey);
    const check = await checkSender(raw(signed), 'molly@example.org', options);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.failed).toContain('no DKIM signature aligned with example.org');
  });

  it('SPF counts only when the envelope domain is aligned with the From', async () => {
    const eml = await composeEml();
    const aligned = raw(eml, {
      verdicts: [],
      transport: { ip: '192.0.2.10', helo: 'mx.example.org', mailFrom: 'molly@example.org' },
    });
    expect(await checkSender(aligned, 'molly@example.org', options)).toEqual({
      ok: true,
      via: 'SPF pass (example.org)',
    });
    const unaligned = raw(eml, {
      verdicts: [],
      transport: { ip: '198.51.100.7', helo: 'mx.attacker.example', mailFrom: 'bounce@attacker.example' },
    });
    const check = await checkSender(unaligned, 'molly@example.org', options);
    expect(check.ok).toBe(false);
  });

  it('the topmost Authentication-Results counts only from a trusted authserv-id', async () => {
    const eml = await composeEml();
    const trusted = Buffer.concat([
      Buffer.from(
        'Authentication-Results: mx.google.com; dkim=pass header.i=@example.org; spf=pass smtp.mailfrom=molly@example.org; dmarc=pass header.from=example.org\r\n',
      ),
      eml,
    ]);
    expect(await checkSender(raw(trusted), 'molly@example.org', options)).toMatchObject({
      ok: true,
      via: 'Authentication-Results from mx.google.com DMARC pass',
    });
    const forged = Buffer.from(
      trusted.toString('latin1').replace('mx.google.com', 'mx.attacker.example'),
      'latin1',
    );
    expect((await checkSender(raw(forged), 'molly@example.org', options)).ok).toBe(false);
  });

  it('provider verdicts: SendGrid’s dkim field must name an aligned domain', async () => {
    const parts: MailInput = {
      kind: 'parts',
      parts: { subject: 's', from: 'molly@example.org', date: null, messageId: null, text: 'x', html: null },
    };
    const pass = sendgridVerdict('pass', '{@example.org : pass}', 'molly@example.org')!;
    expect(
      await checkSender({ ...parts, evidence: { verdicts: [pass] } }, 'molly@example.org', options),
    ).toEqual({
      ok: true,
      via: 'SendGrid DMARC pass'.replace('DMARC pass', 'DKIM pass (d=example.org)'),
    });
    const other = sendgridVerdict('softfail', '{@attacker.example : pass}', 'x@attacker.example')!;
    const check = await checkSender(
      { ...parts, evidence: { verdicts: [other] } },
      'molly@example.org',
      options,
    );
    expect(check).toEqual({ ok: false, failed: 'SendGrid: SPF softfail' });
  });

  it('Google Groups: an ARC chain sealed by the group vouches for a body it changed, when the group is allowed', async () => {
    const signed = await sign(await composeEml({ text: SEED_BODY }), 'example.org', molly.privateKey);
    // The group checks what it received, adds its footer (breaking Molly's body hash) and seals.
    const received = await authenticate(signed, { resolver, mta: 'mx.google.com', disableBimi: true });
    const footer =
      '\r\n-- \r\nYou received this message because you are subscribed to the Google Groups "latam" group.\r\n';
    const listed = Buffer.concat([
      Buffer.from('List-Post: <mailto:latam@googlegroups.com>\r\nList-ID: <latam.googlegroups.com>\r\n'),
      signed,
      Buffer.from(footer),
    ]);
    const authResults = received.arc ? String((received.arc as { authResults?: string }).authResults) : '';
    const seal = await sealMessage(listed, {
      signingDomain: 'google.com',
      selector: 'arc-20160816',
      privateKey: google.privateKey,
      authResults,
      cv: 'none',
    });
    const relayed = Buffer.concat([seal, listed]);
    expect(await checkSender(raw(relayed), 'molly@example.org', options)).toEqual({
      ok: true,
      via: 'ARC pass (sealed by google.com) through allowed list latam@googlegroups.com',
    });
    const notAllowed = await checkSender(raw(relayed), 'molly@example.org', {
      ...options,
      allowedSenders: ['molly@example.org'],
    });
    expect(notAllowed.ok).toBe(false);
    // The same chain sealed by someone else's key (an attacker's own ARC record) vouches for nothing.
    records.set('arc-20160816._domainkey.attacker.example|TXT', [[attacker.record]]);
    const forgedSeal = await sealMessage(listed, {
      signingDomain: 'attacker.example',
      selector: 'arc-20160816',
      privateKey: attacker.privateKey,
      authResults,
      cv: 'none',
    });
    const forged = await checkSender(raw(Buffer.concat([forgedSeal, listed])), 'molly@example.org', options);
    expect(forged.ok).toBe(false);
    if (!forged.ok)
      expect(forged.failed).toContain('ARC sealed by attacker.example, not by list latam@googlegroups.com');
  });
});

describe('SENDER_AUTH through the webhook and the real ingest', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(env: Record<string, string>) {
    const store = await openMemoryStore();
    const config = testConfig({
      BRIEFING_CHANNEL: 'briefings',
      ALLOWED_SENDERS: 'molly@example.org',
      ...env,
    });
    const ingest = createIngest({ config, store, deliverer: { kick: () => {} }, logger: quiet, resolver });
    server = await startServer({ config, ingest });
    return { server, store };
  }
  const send = (url: string, eml: Buffer) => post(url, eml, { 'content-type': 'message/rfc822' });

  it('require (the default with ALLOWED_SENDERS): signed is accepted once, forged is 403 saying why', async () => {
    const { server, store } = await start({});
    const forged = await send(server.url, await composeEml());
    expect(forged.status).toBe(403);
    expect(String(forged.body.detail)).toMatch(
      /^Sender molly@example.org is not authenticated by the message: .*no DKIM signature/,
    );
    const signed = await sign(await composeEml(), 'example.org', molly.privateKey);
    expect((await send(server.url, signed)).status).toBe(202);
    // A replay of the captured signed message is the same briefing: answered as a duplicate, stored once.
    const replay = await send(server.url, signed);
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe('duplicate');
    // Altered on the way (another subject), the signature no longer holds.
    const altered = Buffer.from(
      signed.toString('latin1').replace('Subject: Fwd: Mexico', 'Subject: Fwd: Peru'),
      'latin1',
    );
    expect((await send(server.url, altered)).status).toBe(403);
    expect(await store.briefingCount()).toBe(1);
  });

  it('prefer accepts an unproven sender (and logs it); off does not check', async () => {
    for (const mode of ['prefer', 'off']) {
      const { server } = await start({ SENDER_AUTH: mode });
      expect((await send(server.url, await composeEml())).status, mode).toBe(202);
      await server.close();
    }
  });

  it('SendGrid parsed mode is judged by SendGrid’s own SPF and dkim fields', async () => {
    const { server } = await start({});
    const form = (dkim: string) =>
      multipart([
        { name: 'text', value: SEED_BODY },
        { name: 'from', value: 'Molly Molloy <molly@example.org>' },
        { name: 'subject', value: 'Fwd: Mexico - U.S. high-level security talks (Oct. 7, 2021)' },
        { name: 'envelope', value: '{"to":["b@inbound.example.org"],"from":"molly@example.org"}' },
        { name: 'SPF', value: 'fail' },
        { name: 'dkim', value: dkim },
      ]);
    const bad = form('{@example.org : fail}');
    const refused = await post(server.url, bad.body, { 'content-type': bad.contentType });
    expect(refused.status).toBe(403);
    expect(String(refused.body.detail)).toContain('SendGrid: SPF fail, DKIM fail for example.org');
    const good = form('{@example.org : pass}');
    expect((await post(server.url, good.body, { 'content-type': good.contentType })).status).toBe(202);
  });

  it('a bad SENDER_AUTH value is a config problem', () => {
    expect(testConfig({ SENDER_AUTH: 'maybe' }).senderAuth).toBe('require');
  });
});
