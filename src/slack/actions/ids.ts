/** Action ids of the buttons command answers carry; the listeners in this folder handle them. */
export const ACTION_SHARE = 'answer_share';
export const ACTION_MORE = 'country_more';
export const ACTION_GOTO_DATE = 'briefing_goto_date';
