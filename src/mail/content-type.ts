/** How a body is read, by media type. Anything else is refused with 415 before reading. */
export type BodyKind = 'form' | 'json' | 'raw';

const BODY_KINDS: ReadonlyMap<string, BodyKind> = new Map(
  Object.entries({
    'multipart/form-data': 'form', // SendGrid; Mailgun with attachments
    'application/x-www-form-urlencoded': 'form', // Mailgun without attachments
    'application/json': 'json', // Postmark
    'message/rfc822': 'raw',
    'application/octet-stream': 'raw',
    'text/plain': 'raw', // a whole message posted as text (curl --data-binary @briefing.eml)
  } satisfies Record<string, BodyKind>),
);

export function bodyKind(contentType: string | undefined): BodyKind | null {
  if (!contentType) return null;
  const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return BODY_KINDS.get(mediaType) ?? null;
}
