import { createHmac } from 'node:crypto';

/**
 * Sends requests into the bot the way Slack does: a form body signed with the
 * app's signing secret (`v0` HMAC-SHA256 of `v0:{timestamp}:{body}`).
 */

export interface SignedResponse {
  status: number;
  /** The ack body: JSON when the listener acked with a message, else empty. */
  body: string;
  /** Time from sending to the complete HTTP answer. */
  ms: number;
}

export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignOptions {
  /** Seconds since the epoch; defaults to now. Slack's receivers refuse anything over 5 minutes old. */
  timestamp?: number;
  /** Sign with this instead (a wrong secret, for tests). */
  signingSecret?: string;
}

export async function postSigned(url: string, signingSecret: string, rawBody: string, options: SignOptions = {}): Promise<SignedResponse> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    // Exactly this type: Bolt parses the form only without a charset parameter.
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.signingSecret ?? signingSecret, timestamp, rawBody),
    },
    body: rawBody,
  });
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}

export interface SlashCommandFields {
  text: string;
  response_url: string;
  command?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  team_domain?: string;
  /** Set on Enterprise Grid only. */
  enterprise_id?: string;
  trigger_id?: string;
  api_app_id?: string;
}

let triggers = 0;

/** The form Slack posts for a slash command. Each gets its own trigger_id, as each of Slack's does: the bot treats a repeat as a replay. */
export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    command: '/interaction',
    user_id: 'U0AGENT',
    user_name: 'agent',
    channel_id: 'C0DONORS',
    channel_name: 'donor-care',
    team_id: 'T0STANDIN',
    team_domain: 'stand-in',
    trigger_id: `${Date.now()}.${process.pid}.${++triggers}.trigger`,
    api_app_id: 'A0BOT',
    ...fields,
  }).toString();
}

/** An interactive payload (shortcut, button, modal): one form field holding JSON. */
export function interactivityBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
