/**
 * Amazon SNS message signatures (docs: "Verifying the signatures of Amazon SNS messages"). The signed
 * string is the listed fields as "Name\nvalue\n" in this order; SignatureVersion 1 signs it with
 * SHA1withRSA, 2 with SHA256withRSA, by the certificate at SigningCertURL — which must be Amazon's
 * own (https://sns.<region>.amazonaws.com/…pem), or anyone could sign with a certificate of their own.
 */
import { createVerify, X509Certificate } from 'node:crypto';

export interface SnsMessage {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/** Fetches the PEM at an https URL; tests hand in their own. */
export type CertificateFetch = (url: string) => Promise<string>;

const SNS_HOST = /^sns\.[a-z0-9-]{1,30}\.amazonaws\.com(\.cn)?$/;

/** Is this URL one of Amazon SNS's own (https, sns.<region>.amazonaws.com)? */
export function isSnsUrl(raw: string, pem = false): boolean {
  try {
    const url = new URL(raw);
    return (
      url.protocol === 'https:' &&
      SNS_HOST.test(url.hostname) &&
      url.port === '' &&
      url.username === '' &&
      (!pem || url.pathname.endsWith('.pem'))
    );
  } catch {
    return false;
  }
}

const FIELDS: Record<SnsMessage['Type'], readonly (keyof SnsMessage)[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

export function stringToSign(message: SnsMessage): string {
  let text = '';
  for (const field of FIELDS[message.Type]) {
    const value = message[field];
    // Subject is signed only when the notification has one.
    if (value === undefined) continue;
    text += `${field}\n${value}\n`;
  }
  return text;
}

/** The fields as SNS posts them, or null when any required one is missing or not a string. */
export function parseSnsMessage(body: unknown): SnsMessage | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const type = record.Type;
  if (type !== 'Notification' && type !== 'SubscriptionConfirmation' && type !== 'UnsubscribeConfirmation') {
    return null;
  }
  const required = [
    'MessageId',
    'TopicArn',
    'Message',
    'Timestamp',
    'SignatureVersion',
    'Signature',
    'SigningCertURL',
  ];
  if (type !== 'Notification') required.push('SubscribeURL', 'Token');
  for (const name of required) if (typeof record[name] !== 'string') return null;
  if (record.Subject !== undefined && typeof record.Subject !== 'string') return null;
  return record as unknown as SnsMessage;
}

/**
 * Certificates by URL: SNS signs with a handful. Kept for the process's life, bounded in count; an
 * expired one is fetched again.
 */
const MAX_CACHED_CERTIFICATES = 20;

export class SnsVerifier {
  private readonly certificates = new Map<string, X509Certificate>();

  constructor(
    private readonly fetchCertificate: CertificateFetch,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Null when the signature holds; else why not. */
  async verify(message: SnsMessage): Promise<string | null> {
    if (!isSnsUrl(message.SigningCertURL, true))
      return 'SigningCertURL is not an sns.<region>.amazonaws.com .pem';
    const algorithm =
      message.SignatureVersion === '1' ? 'RSA-SHA1' : message.SignatureVersion === '2' ? 'RSA-SHA256' : null;
    if (algorithm === null) return `unknown SignatureVersion "${message.SignatureVersion.slice(0, 10)}"`;
    let certificate: X509Certificate;
    try {
      certificate = await this.certificate(message.SigningCertURL);
    } catch (error) {
      return `signing certificate unavailable: ${(error as Error).message}`;
    }
    const verifier = createVerify(algorithm).update(stringToSign(message), 'utf8');
    return verifier.verify(certificate.publicKey, message.Signature, 'base64') ? null : 'signature mismatch';
  }

  private async certificate(url: string): Promise<X509Certificate> {
    const cached = this.certificates.get(url);
    if (cached && new Date(cached.validTo) > this.now()) return cached;
    const certificate = new X509Certificate(await this.fetchCertificate(url));
    if (new Date(certificate.validTo) <= this.now()) throw new Error('the certificate has expired');
    if (this.certificates.size >= MAX_CACHED_CERTIFICATES) this.certificates.clear();
    this.certificates.set(url, certificate);
    return certificate;
  }
}

/** The default certificate fetch: https only (isSnsUrl was checked), 10 s, at most 64 KiB. */
export const fetchCertificateOverHttps: CertificateFetch = async (url) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!response.ok) throw new Error(`${response.status} from ${new URL(url).hostname}`);
  const text = await response.text();
  if (text.length > 64 * 1024) throw new Error('certificate too large');
  return text;
};
