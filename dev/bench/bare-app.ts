import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

/**
 * The benchmark's floor: a Bolt app that only verifies the signature and acks
 * with a fixed card (or list page), the cheapest way Slack allows to answer a command. Same
 * Bolt, same receiver, same Node; whatever the bot costs beyond this is its own.
 */
const env = process.env;
const receiver = new HTTPReceiver({
  signingSecret: env.SLACK_SIGNING_SECRET!,
  processBeforeResponse: false,
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void res.writeHead(200).end('{"status":"ready"}') }],
});
const app = new App({
  token: env.SLACK_BOT_TOKEN!,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: env.SLACK_API_URL!, retryConfig: { retries: 0 } },
});

const FIXED_CARD = {
  response_type: 'ephemeral' as const,
  text: 'Interaction 1000: Sample Subject',
  blocks: [
    { type: 'header' as const, text: { type: 'plain_text' as const, text: 'Sample Subject' } },
    { type: 'section' as const, fields: [{ type: 'mrkdwn' as const, text: '*Interaction*\n1000' }, { type: 'mrkdwn' as const, text: '*Constituent*\n1001001' }] },
    { type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*Note*\n>Lorem ipsum dolor sit amet, consetetur sadipscing' } },
  ],
};

/**
 * A list page has the shape and size of the bot's (a header, ten rows each with an Open button, paging buttons: about
 * 4.6 KB of JSON against the card's 0.5 KB), so the list workloads compare the bot with Bolt delivering the same answer.
 */
const row = (n: number) => ({
  type: 'section' as const,
  text: { type: 'mrkdwn' as const, verbatim: true, text: `<!date^1655823600^{date_short_pretty} at {time}|2022-06-21 15:00 UTC> · Email\nContact ${n} of 300` },
  accessory: {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text: 'Open' },
    action_id: 'interaction_list_open',
    value: JSON.stringify({ i: 2000 + n, k: 'email', v: 'many@example.org', c: 'C0DONORS', l: { p: 0 } }),
  },
});
const pageButton = (text: string, p: number) => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text },
  action_id: `interaction_list_${text.toLowerCase()}`,
  value: JSON.stringify({ k: 'email', v: 'many@example.org', l: { p }, c: 'C0DONORS' }),
});
const FIXED_LIST = {
  response_type: 'ephemeral' as const,
  text: 'Interactions of Morgan Manyfold (many@example.org)',
  blocks: [
    { type: 'section' as const, text: { type: 'mrkdwn' as const, verbatim: true, text: '*Interactions of Morgan Manyfold (many@example.org)*, newest first' } },
    ...Array.from({ length: 10 }, (_, i) => row(300 - i)),
    { type: 'divider' as const },
    { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, verbatim: true, text: 'From Luminate Online · fetched just now. Showing 1–10.' }] },
    { type: 'actions' as const, block_id: 'interaction_list_actions', elements: [pageButton('Older', 1), pageButton('Refresh', 0)] },
  ],
};

// A card names an interaction id first; a list names only the donor.
app.command('/interaction', async ({ ack, command }) => {
  await ack(/^\d/.test(command.text) ? FIXED_CARD : FIXED_LIST);
});

await app.start({ port: Number(env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
