import type { types } from '@slack/bolt';
import { startStandInSystem } from '../stand-ins/harness.js';
import { interactivityBody, postSigned } from '../stand-ins/signed-requests.js';
import { previewBlocks } from './text-preview.js';

const TEAM = { id: 'T0STANDIN', domain: 'stand-in' };
const USER = { id: 'U0AGENT', name: 'agent', username: 'agent', team_id: TEAM.id };
const MESSAGE = { ts: '1764400000.000200', thread_ts: '1764400000.000100' };
const TEXT = 'Spoke with jane@example.org about her pledge\nShe will renew in May &amp; asked <@U0ANA> to send the Gift Aid form.';

type ModalView = { private_metadata: string; blocks: { block_id?: string; element?: { initial_value?: string; initial_option?: { value: string } } }[] };

/**
 * `npm run demo -- log`: "Log to Luminate" on a message in a donor thread, with logging turned on,
 * against the stand-ins: the form the shortcut opens, the submission, and the confirmation the
 * person sees in the thread. Returns the confirmation and how many writes Luminate received.
 */
export async function runLogDemo(out: (line?: string) => void, options: { logTo?: (line: string) => void } = {}): Promise<{ confirmation: string; writes: number }> {
  const system = await startStandInSystem({ echoLog: options.logTo, env: { LUMINATE_LOGGING_ENABLED: 'true' } });
  system.slack.userNames.set('U0AGENT', 'Agent Smith');
  system.slack.userNames.set('U0ANA', 'Ana Ruiz');
  const interact = (payload: object) => postSigned(system.botUrl, system.signingSecret, interactivityBody(payload as Record<string, unknown>));
  try {
    out(`Bot listening at ${system.botUrl}, LUMINATE_LOGGING_ENABLED=true`);
    out();
    out('→ "Log to Luminate" on this message in #donor-care:');
    for (const line of TEXT.split('\n')) out(`    ${line}`);
    const shortcut = await interact({
      type: 'message_action',
      callback_id: 'log_interaction_from_message',
      trigger_id: `${Date.now()}.1.trigger`,
      action_ts: '1764400001.000000',
      response_url: system.slack.newResponseUrl(),
      team: TEAM,
      user: USER,
      channel: { id: 'C0DONORS', name: 'donor-care' },
      message_ts: MESSAGE.ts,
      message: { type: 'message', user: 'U0DONORDESK', text: TEXT, ...MESSAGE },
    });
    out(`← HTTP ${shortcut.status} in ${shortcut.ms.toFixed(1)} ms; the form opens with views.open:`);
    const view = (await system.slack.waitForCall('views.open', 1, 5000)).args.view as ModalView;
    const field = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    out();
    out(`━━ The form ${'━'.repeat(48)}`);
    out(`Donor:   ${field('log_donor')?.initial_value ?? ''}`);
    out(`Subject: ${field('log_subject')?.initial_value ?? ''}`);
    out(`Note:    ${(field('log_note')?.initial_value ?? '').replace(/\n/g, '\n         ')}`);
    out(`Type:    ${field('log_type')?.initial_option?.value ?? ''} (Other)`);
    out();
    const values = {
      log_donor: { value: { type: 'plain_text_input', value: field('log_donor')?.initial_value ?? '' } },
      log_subject: { value: { type: 'plain_text_input', value: field('log_subject')?.initial_value ?? '' } },
      log_note: { value: { type: 'plain_text_input', value: field('log_note')?.initial_value ?? '' } },
      log_type: { value: { type: 'static_select', selected_option: { value: '1' } } },
    };
    out('→ The person picks "Phone call" and clicks Log.');
    const submitted = await interact({
      type: 'view_submission',
      trigger_id: `${Date.now()}.2.trigger`,
      team: TEAM,
      user: USER,
      view: { id: 'V0DEMO', type: 'modal', callback_id: 'log_interaction_modal', private_metadata: view.private_metadata, state: { values }, hash: '1.demo' },
    });
    out(`← HTTP ${submitted.status} in ${submitted.ms.toFixed(1)} ms`);
    const written = system.luminate.logged[0];
    out(`  Luminate recorded interaction ${written?.interactionId ?? '?'}; its note ends with the provenance line:`);
    out(`    ${(written?.note as { text?: string } | undefined)?.text?.split('\n').at(-1) ?? ''}`);
    const posted = (await system.slack.waitForCall('chat.postEphemeral', 1, 10_000)).args as { text?: string; blocks?: types.KnownBlock[]; thread_ts?: string };
    out();
    out(`━━ In the thread (${posted.thread_ts ?? 'no thread'}), only to the person ${'━'.repeat(10)}`);
    out(previewBlocks(posted.blocks ?? []));
    out();
    const audit = system.audit.filter((a) => a.event === 'interaction.log');
    out(`Audit: ${JSON.stringify(audit.at(-1))}`);
    out(`Luminate writes made: ${system.luminate.logCount}.`);
    return { confirmation: posted.text ?? '', writes: system.luminate.logCount };
  } finally {
    await system.stop();
  }
}
