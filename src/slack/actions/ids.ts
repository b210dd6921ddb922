/** Action ids of the buttons command answers carry; the listeners in this folder handle them. */
export const ACTION_SHARE = 'answer_share';
export const ACTION_MORE = 'country_more';
/** Slack wants action ids unique within a message, so the two nearest-date buttons get one each. */
export const ACTION_GOTO_BEFORE = 'briefing_goto_before';
export const ACTION_GOTO_AFTER = 'briefing_goto_after';
