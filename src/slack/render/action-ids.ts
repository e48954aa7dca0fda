// The action_ids of every button the bot sends; the actions listener routes on exactly these.

/** Action ids on the card; listeners register on these. */
export const CARD_ACTIONS = {
  refresh: 'interaction_refresh',
  share: 'interaction_share',
  open: 'interaction_open',
} as const;

/** Action ids on a list; listeners register on these. */
export const LIST_ACTIONS = {
  open: 'interaction_list_open',
  older: 'interaction_list_older',
  newer: 'interaction_list_newer',
  refresh: 'interaction_list_refresh',
  /** On a card opened from a list row. */
  back: 'interaction_list_back',
} as const;
