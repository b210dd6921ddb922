/**
 * Installation tokens at rest. With INSTALLATION_KEY set, each installation is stored as AES-256-GCM
 * ciphertext (random 96-bit IV, 128-bit tag: tampering makes the open fail, not yield another token);
 * without it, as plain JSON — the store's files or database are then as secret as the tokens, which
 * SECURITY.md says.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Marks a sealed value, with a version so a later format can be read beside this one. */
const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealer {
  readonly encrypts: boolean;
  seal(plain: string): string;
  open(stored: string): string;
}

/** A 32-byte key from INSTALLATION_KEY: 64 hex digits or 44 characters of base64. Null when it is not one. */
export function parseInstallationKey(raw: string): Buffer | null {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  return key.length === 32 ? key : null;
}

export function createSealer(key: Buffer | null): Sealer {
  if (!key) {
    return {
      encrypts: false,
      seal: (plain) => plain,
      open(stored) {
        // A sealed record without the key is a misconfiguration; reading it as JSON would only confuse.
        if (stored.startsWith(PREFIX))
          throw new Error('This installation was stored encrypted: set INSTALLATION_KEY to read it.');
        return stored;
      },
    };
  }
  return {
    encrypts: true,
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(stored) {
      // Records written before the key was set stay readable; the next store of them seals them.
      if (!stored.startsWith(PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new Error(
          'An installation could not be decrypted: INSTALLATION_KEY is not the key it was stored with.',
        );
      }
    },
  };
}
