import { StandInLuminate } from '../stand-ins/luminate.js';
import { SAMPLE_CONSTITUENTS } from '../stand-ins/sample-data.js';
import { StandInSlack } from '../stand-ins/slack.js';
import { answerKind, type AnswerKind } from './answer-kind.js';
import { benchDonors, UPSTREAM_METHODS, type UpstreamMethod } from './bench-donors.js';

/**
 * The benchmark's stand-ins, in a process of their own so that their timers
 * and parsing do not share an event loop with the driver that times the
 * bot. Talks to the driver over IPC: each response_url post is reported as it
 * arrives; counters are read and reset on request.
 */
export type ToStandIns = { type: 'stats'; id: number } | { type: 'latency'; ms: number } | { type: 'reset-max' };
export type FromStandIns =
  | { type: 'ready'; luminateUrl: string; slackApiUrl: string; slackOrigin: string }
  | { type: 'response'; url: string; kind: AnswerKind }
  | { type: 'stats'; id: number; calls: Record<UpstreamMethod, number>; maxInFlight: number; connectionsOpened: number };

const send = (message: FromStandIns) => process.send!(message);
const env = process.env;

const luminate = await StandInLuminate.start({
  apiKey: env.LUMINATE_API_KEY!,
  loginName: env.LUMINATE_LOGIN_NAME!,
  loginPassword: env.LUMINATE_LOGIN_PASSWORD!,
  latencyMs: Number(env.LATENCY_MS ?? 0),
  anyInteractionId: true,
  constituents: [...SAMPLE_CONSTITUENTS, ...benchDonors(Number(env.BENCH_DONORS ?? 0))],
});
const slack = await StandInSlack.start({ botToken: env.SLACK_BOT_TOKEN! });
slack.onResponse = (post) => {
  send({ type: 'response', url: post.url, kind: answerKind(post.body) });
  if (slack.responses.length > 1000) slack.clearResponses();
};

process.on('message', (message: ToStandIns) => {
  if (message.type === 'latency') luminate.latencyMs = message.ms;
  else if (message.type === 'reset-max') luminate.maxInFlight = luminate.inFlight;
  else {
    const calls = Object.fromEntries(UPSTREAM_METHODS.map((m) => [m, luminate.callCount(m)])) as Record<UpstreamMethod, number>;
    send({ type: 'stats', id: message.id, calls, maxInFlight: luminate.maxInFlight, connectionsOpened: luminate.connectionsOpened });
  }
});
process.on('disconnect', () => void Promise.all([luminate.close(), slack.close()]).then(() => process.exit(0)));
send({ type: 'ready', luminateUrl: luminate.url, slackApiUrl: slack.apiUrl, slackOrigin: slack.origin });
