import { slackSignature, slashCommandBody } from '../stand-ins/signed-requests.js';
import { answerKind } from './answer-kind.js';
import { UPSTREAM_METHODS, type UpstreamMethod } from './bench-donors.js';
import { cpuMs, type Samples, type Target } from './figures.js';
import type { StandIns } from './stand-ins-client.js';

/** CPU time used so far by the target's processes together, in ms. */
const targetCpuMs = (target: Target) => target.processes.reduce((t, p) => t + cpuMs(p.child.pid), 0);

/**
 * Closed loop: each of `concurrency` workers sends a command and waits for its card (in the ack, or
 * at its response_url) before sending the next, as a person would. "Looking up…" notices are not the
 * card. A target of several processes gets the commands in turn (round robin), as a load balancer
 * in front of replicas would spread them.
 */
export async function drive(standIns: StandIns, signingSecret: string, target: Target, texts: readonly string[], concurrency: number): Promise<Samples> {
  const before = await standIns.stats();
  standIns.tell({ type: 'reset-max' });
  const cpuBefore = { app: targetCpuMs(target), standIns: cpuMs(standIns.pid), driver: cpuMs(process.pid) };
  const acks: number[] = [];
  const cards: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < texts.length) {
      const i = next++;
      const responseUrl = standIns.newResponseUrl();
      const card = standIns.cardAt(responseUrl);
      const body = slashCommandBody({ text: texts[i]!, response_url: responseUrl, user_id: `UBENCH${i % 500}` });
      const timestamp = Math.floor(Date.now() / 1000);
      const sentAt = performance.timeOrigin + performance.now();
      const response = await target.pools[i % target.pools.length]!.request({
        method: 'POST',
        path: '/slack/events',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(signingSecret, timestamp, body),
        },
        body,
      });
      const text = await response.body.text();
      const ackedAt = performance.timeOrigin + performance.now();
      acks.push(ackedAt - sentAt);
      if (response.statusCode !== 200) {
        card.cancel();
        failures += 1;
        continue;
      }
      if (text.includes('"blocks"')) {
        card.cancel();
        if (answerKind(JSON.parse(text) as { text?: unknown; blocks?: unknown }) === 'answer') cards.push(ackedAt - sentAt);
        else failures += 1;
        continue;
      }
      const arrivedAt = await card.arrived;
      if (arrivedAt === null) failures += 1;
      else cards.push(arrivedAt - sentAt);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const finished = performance.now();
  const after = await standIns.stats();
  const cpu = { app: targetCpuMs(target) - cpuBefore.app, standIns: cpuMs(standIns.pid) - cpuBefore.standIns, driver: cpuMs(process.pid) - cpuBefore.driver };
  return {
    cpu,
    requests: texts.length,
    seconds: (finished - started) / 1000,
    failures,
    acks,
    cards,
    upstreamByMethod: Object.fromEntries(UPSTREAM_METHODS.map((m) => [m, after.calls[m] - before.calls[m]])) as Record<UpstreamMethod, number>,
    maxUpstreamInFlight: after.maxInFlight,
    socketsOpened: after.connectionsOpened - before.connectionsOpened,
  };
}
