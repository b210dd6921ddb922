import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { pumpBody } from './body.js';
import type { MailLimits } from './limits.js';
import { MailRefusal, printable } from './refusal.js';

/**
 * Form fields by name, first occurrence wins. Values are busboy's strings decoded as latin1, i.e. the
 * field's bytes one per char, so providers can decode them with the right charset (see text.ts).
 * A part that declared its own charset arrives already decoded.
 */
export type FormFields = ReadonlyMap<string, string>;

/** Longest field name we accept; provider field names are short ("attachment-info" is the longest). */
const MAX_FIELD_NAME_BYTES = 100;

/** Which file parts to keep: a raw message posted as a file, or an attached original briefing. */
export type KeepFile = (name: string, info: { filename: string | undefined; mimeType: string }) => boolean;

/**
 * Streams a multipart/form-data or urlencoded body through busboy within the budgets. File parts are
 * drained and dropped unless `keepFile` wants them; a kept file becomes a field of its part's name.
 * A truncated field or file, too many fields, or a malformed form is a 400: a cut briefing is worse
 * than none.
 */
export async function readForm(
  req: IncomingMessage,
  limits: MailLimits,
  keepFile: KeepFile,
): Promise<FormFields> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defCharset: 'latin1',
      defParamCharset: 'utf8',
      limits: {
        fieldSize: limits.fieldBytes,
        fileSize: limits.fieldBytes,
        fields: limits.maxFields,
        files: limits.maxFiles,
        headerPairs: limits.maxPartHeaderPairs,
        fieldNameSize: MAX_FIELD_NAME_BYTES,
      },
    });
  } catch (error) {
    throw new MailRefusal(400, 'The form could not be parsed.', {
      reason: `form setup: ${(error as Error).message}`,
    });
  }

  const fields = new Map<string, string>();
  let failure: MailRefusal | undefined;
  const fail = (detail: string, reason = detail): void => {
    failure ??= new MailRefusal(400, detail, { reason });
  };

  parser.on('field', (name, value, info) => {
    if (info.nameTruncated) fail('A form field name is too long.');
    else if (info.valueTruncated)
      fail(`Form field "${printable(name)}" is longer than ${limits.fieldBytes} bytes.`);
    else if (!fields.has(name)) fields.set(name, value);
  });
  parser.on('file', (name, stream, info) => {
    // busboy destroys an unfinished file part with an error; unhandled, that would crash the process.
    stream.on('error', (error: Error) =>
      fail('The form could not be parsed.', `form file: ${error.message}`),
    );
    if (!keepFile(name, info) || fields.has(name)) {
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('limit', () =>
      fail(`Form file "${printable(name)}" is longer than ${limits.fieldBytes} bytes.`),
    );
    stream.on('end', () => {
      if (!stream.truncated && !fields.has(name)) fields.set(name, Buffer.concat(chunks).toString('latin1'));
    });
  });
  parser.on('fieldsLimit', () => fail(`More than ${limits.maxFields} form fields.`));

  const closed = new Promise<void>((resolve) => {
    parser.on('error', (error: Error) => {
      fail('The form could not be parsed.', `form: ${error.message}`);
      resolve();
    });
    parser.on('close', () => resolve());
  });

  try {
    await pumpBody(req, limits, (chunk) => {
      parser.write(chunk);
      // busboy reports most problems synchronously while parsing: stop reading at the first.
      if (failure) throw failure;
    });
  } catch (error) {
    parser.destroy();
    throw error;
  }
  parser.end();
  await closed;
  if (failure) throw failure;
  return fields;
}
