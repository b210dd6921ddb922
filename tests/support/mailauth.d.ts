/** mailauth's signing and sealing, used by tests to make real signed messages (mailauth 4 has no typings). */
declare module 'mailauth/lib/dkim/sign.js' {
  export function dkimSign(
    message: Buffer | string,
    options: {
      signatureData: { signingDomain: string; selector: string; privateKey: string }[];
      signTime?: Date;
    },
  ): Promise<{ signatures: string; errors: unknown[] }>;
}
declare module 'mailauth/lib/arc/index.js' {
  export function sealMessage(
    message: Buffer,
    seal: { signingDomain: string; selector: string; privateKey: string; authResults: string; cv: string },
  ): Promise<Buffer>;
}
