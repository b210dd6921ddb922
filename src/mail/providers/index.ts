import type { FormFields } from '../form.js';
import { mailgun } from './mailgun.js';
import { sendgrid } from './sendgrid.js';
import type { FormProvider } from './types.js';

export { mailgunSignatureFields } from './mailgun.js';
export { postmarkInput } from './postmark.js';
export type { FormProvider } from './types.js';

/** Checked in order: Mailgun's markers are unambiguous, SendGrid's generic ones ("text") come second. */
export const FORM_PROVIDERS: readonly FormProvider[] = [mailgun, sendgrid];

/** Field names that may carry a raw message as a file upload, for any provider. */
export const RAW_FILE_FIELDS: ReadonlySet<string> = new Set(
  FORM_PROVIDERS.flatMap((provider) => provider.rawFields),
);

export function detectFormProvider(fields: FormFields): FormProvider | null {
  return FORM_PROVIDERS.find((provider) => provider.markers.some((marker) => fields.has(marker))) ?? null;
}
