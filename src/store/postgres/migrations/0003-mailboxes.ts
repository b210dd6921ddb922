/** Watched IMAP folders (IMAP_URL): where each was left, so a restart never takes a message twice. */
export const version = 3;
export const name = 'mailboxes';
export const sql = `
create table mailbox_cursors (
  mailbox text primary key,
  uid_validity text not null,
  last_uid bigint not null,
  updated_at text not null
);
`;
