import { randomBytes } from 'node:crypto';
import { createBot, type Bot } from '../../src/app.js';
import { parseConfig, secretsOf, type Config } from '../../src/config.js';
import { createAuditLog } from '../../src/observability/audit.js';
import { createLogger } from '../../src/observability/logger.js';
import { LuminateClient, type ResilienceOptions } from '../../src/luminate/client.js';
import type { Clock } from '../../src/clock.js';
import { createCaches } from '../../src/service/caches.js';
import { replicaStoreFromConfig } from '../../src/wiring.js';
import { StandInLuminate, type StandInLuminateOptions } from './luminate.js';
import { interactivityBody, postSigned, slashCommandBody, type SignedResponse, type SlashCommandFields } from './signed-requests.js';
import { StandInSlack } from './slack.js';

/**
 * The real bot wired to stand-ins on loopback, configured through the same
 * environment variables a deployment uses. Used by the demo and the tests.
 */
export interface StandInSystem {
  bot: Bot;
  config: Config;
  luminate: StandInLuminate;
  slack: StandInSlack;
  /** `POST` here is what Slack does: `${botUrl}/slack/events`. */
  botUrl: string;
  signingSecret: string;
  /** Every log line the bot wrote, already redacted. */
  logLines: string[];
  /** Every audit line, parsed. */
  audit: Record<string, unknown>[];
  /** Every secret the bot was given, to prove none leaks. */
  secrets: string[];
  /** Sends a signed `/interaction` and resolves with the ack and the response_url it used. */
  slashCommand(text: string, fields?: Partial<SlashCommandFields>): Promise<SignedResponse & { responseUrl: string }>;
  /** Sends a signed interactive payload (shortcut, button click, modal submission). */
  interact(payload: Record<string, unknown>): Promise<SignedResponse>;
  stop(): Promise<void>;
}

export interface StandInSystemOptions {
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  luminateLatencyMs?: number;
  clock?: Clock;
  slowNoticeMs?: number;
  /**
   * Retry and circuit-breaker settings. By default retries are quick and the
   * breaker never opens, so tests that inject many faults in a row see each one.
   * `'production'` leaves the client's own defaults, as a deployment runs it.
   */
  resilience?: ResilienceOptions | 'production';
  /** How the stand-in Luminate settles what Luminate's documentation leaves open (both also settable later). */
  luminate?: Pick<StandInLuminateOptions, 'emailMatch' | 'enforceOwnership' | 'constituents' | 'sparedByFaults'>;
  /** Also copy log and audit lines here (the demo shows them on stderr). */
  echoLog?: (line: string) => void;
}

/** Random secrets per run, shaped like real ones, so a leak is unmistakable in any output. */
function fakeSecret(prefix = ''): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

export async function startStandInSystem(options: StandInSystemOptions = {}): Promise<StandInSystem> {
  const botToken = fakeSecret('xoxb-standin-');
  const signingSecret = fakeSecret('signing-');
  const apiKey = fakeSecret('apikey-');
  const loginName = 'bot-api-admin';
  const loginPassword = fakeSecret('pw-');

  const luminate = await StandInLuminate.start({
    apiKey,
    loginName,
    loginPassword,
    latencyMs: options.luminateLatencyMs ?? 0,
    // The donor's name beside every card: never the card's answer, so the system's faults are the card's own
    // bad day and tests count, order and break on the calls that carry it. getUser's own faults: methodFaults.
    sparedByFaults: ['getUser'],
    ...options.luminate,
  });
  const slack = await StandInSlack.start({ botToken });
  const config = parseConfig({
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
    LUMINATE_URL: luminate.url,
    LUMINATE_API_KEY: apiKey,
    LUMINATE_LOGIN_NAME: loginName,
    LUMINATE_LOGIN_PASSWORD: loginPassword,
    // Tests wait for timeouts: 2 s, unless the test runs the production resilience settings.
    ...(options.resilience === 'production' ? {} : { LUMINATE_TIMEOUT_MS: '2000' }),
    LUMINATE_INTERACTION_TYPES: '1=Phone call,3=Email',
    LOG_LEVEL: 'debug',
    // Test suites make many lookups as one person; the rate-limit tests set their own.
    LOOKUP_RATE_PER_MINUTE: '100000',
    ...options.env,
  });

  const logLines: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    secrets: secretsOf(config),
    replica: config.replicaId,
    write: (line) => {
      logLines.push(line);
      options.echoLog?.(line);
    },
  });
  const audit: Record<string, unknown>[] = [];
  const resilience = options.resilience === 'production' ? {} : { retryDelayMs: 10, breakerThreshold: 1_000_000, ...options.resilience };
  // A write waits 20 s by default; tests that hang one wait 3 s instead.
  const client = new LuminateClient(options.resilience === 'production' ? config.luminate : { ...config.luminate, writeTimeoutMs: 3000 }, { ...resilience, logger });
  const clock = options.clock ?? Date.now;
  // REDIS_URL in `env`: this system is one replica of several sharing that Redis, as a deployment wires it.
  const store = replicaStoreFromConfig(config, logger, clock);
  await store?.waitUntilUp(1500);
  const shared = store && { store: store.secondLevel, budgetMs: config.luminate.timeoutMs };
  const bot = createBot({
    config,
    logger,
    caches: createCaches(client, { ...config.cache, clock, logger, ...(shared ? { shared } : {}) }),
    ...(store ? { shared: store } : {}),
    luminate: client,
    clock,
    slowNoticeMs: options.slowNoticeMs ?? 1500,
    audit: createAuditLog({
      clock,
      replica: config.replicaId,
      write: (line) => {
        audit.push(JSON.parse(line) as Record<string, unknown>);
        options.echoLog?.(line);
      },
    }),
  });
  const { port } = await bot.start({ port: 0, host: '127.0.0.1' });
  const botUrl = `http://127.0.0.1:${port}/slack/events`;

  return {
    bot,
    config,
    luminate,
    slack,
    botUrl,
    signingSecret,
    logLines,
    audit,
    secrets: [botToken, signingSecret, apiKey, loginPassword],
    async slashCommand(text, fields = {}) {
      const responseUrl = fields.response_url ?? slack.newResponseUrl();
      const response = await postSigned(botUrl, signingSecret, slashCommandBody({ text, ...fields, response_url: responseUrl }));
      return { ...response, responseUrl };
    },
    interact(payload) {
      return postSigned(botUrl, signingSecret, interactivityBody(payload));
    },
    async stop() {
      await bot.stop(2000);
      await client.close();
      await store?.close();
      await Promise.all([luminate.close(), slack.close()]);
    },
  };
}
