import { config as loadDotenv } from 'dotenv';
import { createBot } from './app.js';
import { ConfigError, parseConfig, secretsOf } from './config.js';
import { createLogger } from './observability/logger.js';
import { LuminateClient } from './luminate/client.js';
import { createCaches } from './service/caches.js';
import { replicaStoreFromConfig } from './wiring.js';

/** Slack retries a request after 3 s; orchestrators usually kill after 10 s. */
const SHUTDOWN_GRACE_MS = 9000;

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee .env.example for what each variable means.\n`);
    process.exit(78); // EX_CONFIG
  }

  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config), replica: config.replicaId });
  const luminate = new LuminateClient(config.luminate, { logger });
  // With REDIS_URL: answers, the limit and the replay memory shared with other replicas; never required to answer.
  const store = replicaStoreFromConfig(config, logger);
  const shared = store && { store: store.secondLevel, budgetMs: config.luminate.timeoutMs };
  const bot = createBot({ config, logger, caches: createCaches(luminate, { ...config.cache, logger, ...(shared ? { shared } : {}) }), ...(store ? { shared: store } : {}), luminate });

  // A moment for Redis to answer, so the start line says whether it did; the bot starts either way.
  await store?.waitUntilUp(1500);
  try {
    await bot.start();
  } catch (error) {
    logger.error('could not start: Slack rejected SLACK_BOT_TOKEN or could not be reached', { error });
    process.exit(1);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal, pendingAnswers: bot.pendingAnswers });
    const drained = await bot.stop(SHUTDOWN_GRACE_MS);
    // Past the grace, answers still pending will not be posted: waiting for their Luminate requests
    // (up to LUMINATE_TIMEOUT_MS) would only overrun the orchestrator's grace and end in a SIGKILL.
    await luminate.close({ force: !drained }).catch(() => undefined);
    await store?.close().catch(() => undefined);
    logger.info('stopped', { drained });
    process.exit(drained ? 0 : 1);
  };
  const onSignal = (signal: string) => {
    shutdown(signal).catch((error: unknown) => {
      logger.error('shutdown failed', { error });
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

await main();
