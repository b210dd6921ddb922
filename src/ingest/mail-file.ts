/**
 * A file on disk as the webhook would have received it: a saved .eml is raw MIME; an .html or .txt
 * paste of a briefing becomes the body of a message without headers.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { MailInput } from './types.js';

/** Raw MIME starts with header lines ("Name: value", folded lines) and a blank line before the body. */
const MIME_HEADER_BLOCK = /^(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)+\r?\n/;

export async function readMailFile(path: string): Promise<MailInput> {
  const bytes = await readFile(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.eml' || MIME_HEADER_BLOCK.test(bytes.subarray(0, 64 * 1024).toString('latin1'))) {
    return { kind: 'raw', raw: bytes };
  }
  const body = bytes.toString('utf8');
  const isHtml = extension === '.html' || extension === '.htm';
  return {
    kind: 'parts',
    parts: {
      subject: null,
      from: null,
      date: null,
      messageId: null,
      text: isHtml ? null : body,
      html: isHtml ? body : null,
    },
  };
}
