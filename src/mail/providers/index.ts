import type { FormFields, KeepFile } from '../form.js';
import { isMessageAttachment } from './attached.js';
import { mailgun } from './mailgun.js';
import { sendgrid } from './sendgrid.js';
import type { FormProvider } from './types.js';

export { mailgunSignatureFields } from './mailgun.js';
export { postmarkInput } from './postmark.js';
export type { FormProvider } from './types.js';

/** Checked in order: Mailgun's markers are unambiguous, SendGrid's generic ones ("text") come second. */
export const FORM_PROVIDERS: readonly FormProvider[] = [mailgun, sendgrid];

/** Field names that may carry a raw message as a file upload, for any provider. */
const RAW_FILE_FIELDS: ReadonlySet<string> = new Set(
  FORM_PROVIDERS.flatMap((provider) => provider.rawFields),
);

/**
 * Kept file parts: a raw message under a provider's raw field, or an attached message (a forward as
 * attachment, which in parsed mode arrives as a file part: SendGrid's `attachment1`…). Every other
 * attachment is drained unread.
 */
export const keepFormFile: KeepFile = (name, info) =>
  RAW_FILE_FIELDS.has(name) || isMessageAttachment(info.mimeType, info.filename);

export function detectFormProvider(fields: FormFields): FormProvider | null {
  return FORM_PROVIDERS.find((provider) => provider.markers.some((marker) => fields.has(marker))) ?? null;
}
