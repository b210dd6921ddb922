/**
 * The countries each story only mentions (the parse contract's `mentions`), indexed like
 * story_countries so `/country` can list "also mentioned in" without reading briefing bodies. Briefings
 * stored before this have no mentions: their stories keep what they were tagged with.
 */
export const version = 5;
export const name = 'story-mentions';
export const sql = `
create table story_mentions (
  country text not null,
  date text not null,
  received_at_text text not null,
  briefing_id text not null,
  position integer not null,
  primary key (country, date, received_at_text, briefing_id, position),
  foreign key (briefing_id, position) references stories (briefing_id, position) on delete cascade
);
`;
