import { App, HTTPReceiver, LogLevel } from '@slack/bolt';

/**
 * The benchmark's floor: a Bolt app that only verifies the signature and acks
 * with a fixed card, the cheapest way Slack allows to answer a command. Same
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

app.command('/interaction', async ({ ack }) => {
  await ack(FIXED_CARD);
});

await app.start({ port: Number(env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
