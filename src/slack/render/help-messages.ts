import type { types } from '@slack/bolt';
import { formatIdentifier, type ConstituentIdentifier, type InteractionRequest } from '../../luminate/identifiers.js';
import type { InputProblem } from '../../service/requests.js';
import { describeInputProblem } from './input-problems.js';
import { notice, type SlackMessage } from './message.js';
import { mrkdwn } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

const COMMAND_FORM = '/interaction <interaction_id> <email | cons:ID | member:ID>';
const LIST_FORM = '/interaction <email | cons:ID | member:ID> [since:YYYY-MM-DD] [until:YYYY-MM-DD] [type:<id or name>]';

const who = (identifier: ConstituentIdentifier) => mrkdwn(formatIdentifier(identifier), 300);

export function invalidInputMessage(problem: InputProblem): SlackMessage {
  const headline = mrkdwn(describeInputProblem(problem), 1000);
  const form = `Use \`${mrkdwn(COMMAND_FORM, 200)}\`, e.g. \`/interaction 1000 jane@example.org\`, or just the donor for their list, e.g. \`/interaction jane@example.org since:2025-01-01\`. Type \`/interaction help\` for more.`;
  return notice(':thinking_face:', headline, form, `${headline} ${form}`);
}

export function lookingUpMessage(lookup: InteractionRequest): SlackMessage {
  const text = `:hourglass_flowing_sand: Looking up interaction *${lookup.interactionId}* for *${who(lookup.identifier)}* in Luminate Online…`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text }] }] };
}

export function lookingUpListMessage(identifier: ConstituentIdentifier): SlackMessage {
  const text = `:hourglass_flowing_sand: Looking up the recent interactions of *${who(identifier)}* in Luminate Online…`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text }] }] };
}

export function usageMessage(): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Look up a Luminate Online interaction*\n\`${mrkdwn(COMMAND_FORM, 200)}\`\nOnly you see the answer.`,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Examples*',
          '• `/interaction 1000 jane@example.org`: by the donor’s primary email',
          '• `/interaction 1000 cons:1001001`: by constituent id (use it when several donors share an email)',
          '• `/interaction 1000 member:JD-1001`: by your organisation’s member id',
        ].join('\n'),
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `*A donor’s recent interactions*, newest first, ten to a page\n\`${mrkdwn(LIST_FORM, 300)}\``,
          '• `/interaction jane@example.org`: everything recorded, with a button to open each one',
          '• `/interaction cons:1001001 since:2025-01-01 until:2025-06-30`: dates are inclusive',
          '• `/interaction jane@example.org type:Phone call`: a type by its id or its name',
        ].join('\n'),
      },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'The interaction id is the number Luminate Online shows on the constituent’s Interactions tab.' }],
    },
  ];
  return { text: `Look up a Luminate Online interaction: ${mrkdwn(COMMAND_FORM, 200)}`, blocks };
}

/** views.open failed (Slack rate-limited or slow past the trigger's 3 s): the form is gone, but the shortcut can simply be run again. */
export function formNotOpenedMessage(form = 'lookup form'): SlackMessage {
  const headline = `Slack couldn't open the ${form} just now.`;
  return notice(':warning:', headline, 'Run the shortcut again in a moment.', `${headline} Run the shortcut again in a moment.`);
}

