/**
 * An Amazon SES receipt rule's SNS action posts a notification whose `Message` is JSON:
 * `{notificationType: "Received", mail: {source, …}, receipt: {spfVerdict, dkimVerdict, dmarcVerdict, …},
 * content}` — `content` being the raw message, UTF-8 or base64 as the action's encoding says. SNS caps a
 * message at 150 KB of content; larger mail needs the S3 action, which this route does not read.
 */
import type { MailInput } from '../../ingest/types.js';
import { MailRefusal } from '../refusal.js';
import { domainOf } from '../sender-auth/align.js';
import type { ProviderVerdict } from '../sender-auth/types.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function status(receipt: Json, name: string): string {
  const verdict = receipt[name];
  return isObject(verdict) && typeof verdict.status === 'string' ? verdict.status.toLowerCase() : '';
}

/** SES's own verdicts: DMARC for the From domain, SPF for the MAIL FROM (`mail.source`). */
function sesVerdict(receipt: Json, source: string | null): ProviderVerdict {
  const verdict: ProviderVerdict = {
    source: 'Amazon SES',
    dkimPass: [],
    spfPass: null,
    dmarcPass: false,
    failures: [],
  };
  const dmarc = status(receipt, 'dmarcVerdict');
  const spf = status(receipt, 'spfVerdict');
  const dkim = status(receipt, 'dkimVerdict');
  if (dmarc === 'pass') verdict.dmarcPass = true;
  else if (dmarc) verdict.failures.push(`DMARC ${dmarc}`);
  if (spf === 'pass') verdict.spfPass = domainOf(source);
  else if (spf) verdict.failures.push(`SPF ${spf}`);
  if (dkim && dkim !== 'pass') verdict.failures.push(`DKIM ${dkim}`);
  return verdict;
}

/** Base64 content has no header colon in its first line; raw MIME always has one. */
function contentBytes(content: string): Buffer {
  const firstLine = content.slice(0, 200).split(/\r?\n/, 1)[0] ?? '';
  return /^[A-Za-z0-9+/=]+$/.test(firstLine) && !firstLine.includes(':')
    ? Buffer.from(content, 'base64')
    : Buffer.from(content, 'utf8');
}

export function sesInput(message: string): MailInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new MailRefusal(400, 'The SNS Message is not an SES notification (not JSON).');
  }
  if (!isObject(parsed) || parsed.notificationType !== 'Received') {
    throw new MailRefusal(400, 'The SNS Message is not an SES "Received" notification.');
  }
  if (typeof parsed.content !== 'string' || parsed.content.trim() === '') {
    throw new MailRefusal(
      400,
      'The SES notification has no content: use an SNS action (mail up to 150 KB); the S3 action is not supported.',
    );
  }
  const mail = isObject(parsed.mail) ? parsed.mail : {};
  const source = typeof mail.source === 'string' ? mail.source : null;
  const receipt = isObject(parsed.receipt) ? parsed.receipt : {};
  return {
    kind: 'raw',
    raw: contentBytes(parsed.content),
    evidence: { verdicts: [sesVerdict(receipt, source)] },
  };
}
