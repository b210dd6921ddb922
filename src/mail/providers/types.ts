import type { MailInput } from '../../ingest/types.js';
import type { FormFields } from '../form.js';

/** An inbound-mail provider that posts forms (multipart or urlencoded). */
export interface FormProvider {
  name: string;
  /** Field names this provider sends and the other does not; any one of them identifies it. */
  markers: readonly string[];
  /** Fields that may carry a whole message as a file upload instead of a text field. */
  rawFields: readonly string[];
  /** Maps the fields to the bot's input; throws a 400 MailRefusal when they hold no email. */
  toInput(fields: FormFields): Promise<MailInput>;
}
