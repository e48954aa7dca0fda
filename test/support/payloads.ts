/** Interactive payloads shaped as Slack sends them (only the fields Bolt and the bot read, plus the usual envelope). */

const TEAM = { id: 'T0STANDIN', domain: 'stand-in' };
let triggers = 0;
const trigger = () => `${Date.now()}.${++triggers}.trigger`;

export function messageShortcut(options: {
  text: string;
  responseUrl: string;
  user?: string;
  channel?: string;
  ts?: string;
  threadTs?: string;
  replyCount?: number;
}) {
  const ts = options.ts ?? '1764400000.000100';
  return {
    type: 'message_action',
    token: 'deprecated',
    callback_id: 'lookup_interaction_from_message',
    trigger_id: trigger(),
    action_ts: '1764400001.000000',
    response_url: options.responseUrl,
    team: TEAM,
    user: { id: options.user ?? 'U0AGENT', name: 'agent' },
    channel: { id: options.channel ?? 'C0DONORS', name: 'donor-care' },
    message_ts: ts,
    message: {
      type: 'message',
      user: 'U0DONORDESK',
      text: options.text,
      ts,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      ...(options.replyCount ? { reply_count: options.replyCount } : {}),
    },
    is_enterprise_install: false,
  };
}

export function globalShortcut(options: { user?: string } = {}) {
  return {
    type: 'shortcut',
    token: 'deprecated',
    callback_id: 'lookup_interaction',
    trigger_id: trigger(),
    action_ts: '1764400001.000000',
    team: TEAM,
    user: { id: options.user ?? 'U0AGENT', username: 'agent', team_id: TEAM.id },
    is_enterprise_install: false,
  };
}

export const MODAL_VIEW_ID = 'V0MODAL';

export function modalSubmission(options: { interactionId: string; donor: string; privateMetadata?: string; user?: string }) {
  return {
    type: 'view_submission',
    token: 'deprecated',
    trigger_id: trigger(),
    team: TEAM,
    user: { id: options.user ?? 'U0AGENT', username: 'agent', team_id: TEAM.id },
    api_app_id: 'A0BOT',
    view: {
      id: MODAL_VIEW_ID,
      team_id: TEAM.id,
      type: 'modal',
      callback_id: 'lookup_interaction_modal',
      private_metadata: options.privateMetadata ?? '{"c":null,"t":null}',
      hash: '1.abc',
      state: {
        values: {
          interaction_id: { value: { type: 'plain_text_input', value: options.interactionId } },
          donor: { value: { type: 'plain_text_input', value: options.donor } },
        },
      },
      app_id: 'A0BOT',
      bot_id: 'B0BOT',
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** A click on a card button, in an ephemeral message (with a response_url) or in the modal. */
export function buttonClick(options: {
  actionId: string;
  value?: string;
  user?: string;
  in: { message: { channel: string; responseUrl: string; threadTs?: string } } | { modal: { privateMetadata: string } };
}) {
  const action = { type: 'button', action_id: options.actionId, block_id: 'interaction_actions', value: options.value, action_ts: '1764400002.000000' };
  const base = { type: 'block_actions', token: 'deprecated', trigger_id: trigger(), team: TEAM, user: { id: options.user ?? 'U0AGENT', username: 'agent', team_id: TEAM.id }, api_app_id: 'A0BOT', actions: [action], is_enterprise_install: false };
  if ('message' in options.in) {
    const { channel, responseUrl, threadTs } = options.in.message;
    return {
      ...base,
      container: { type: 'message', message_ts: '1764400003.000000', channel_id: channel, is_ephemeral: true, ...(threadTs ? { thread_ts: threadTs } : {}) },
      channel: { id: channel, name: 'donor-care' },
      response_url: responseUrl,
    };
  }
  return {
    ...base,
    container: { type: 'view', view_id: MODAL_VIEW_ID },
    view: { id: MODAL_VIEW_ID, type: 'modal', callback_id: 'lookup_interaction_modal', private_metadata: options.in.modal.privateMetadata, state: { values: {} }, hash: '1.abc' },
  };
}

/** "Log to Luminate" on a message: the message shortcut with the log callback id. */
export function logShortcut(options: Parameters<typeof messageShortcut>[0]) {
  return { ...messageShortcut(options), callback_id: 'log_interaction_from_message' };
}

/** The Log to Luminate form submitted, as Slack sends it: the view id names the form, the trigger_id the click. */
export function logSubmission(options: { donor: string; subject: string; note: string; typeId?: string; privateMetadata: string; viewId?: string; user?: string }) {
  const base = modalSubmission({ interactionId: '', donor: '', privateMetadata: options.privateMetadata, user: options.user });
  const values = {
    log_donor: { value: { type: 'plain_text_input', value: options.donor } },
    log_subject: { value: { type: 'plain_text_input', value: options.subject } },
    log_note: { value: { type: 'plain_text_input', value: options.note } },
    log_type: { value: { type: 'static_select', selected_option: { value: options.typeId ?? '0' } } },
  };
  return { ...base, view: { ...base.view, id: options.viewId ?? 'V0LOGFORM', callback_id: 'log_interaction_modal', state: { values } } };
}
