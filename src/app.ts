import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type CustomRoute } from '@slack/bolt';
import { ChannelExposureCheck } from './access/channel-exposure.js';
import { LookupRateLimit, type RateLimit } from './access/rate-limit.js';
import { createAuditLog, type AuditLog } from './observability/audit.js';
import type { Config } from './config.js';
import { MemoryReplayStore, type ReplayStore } from './access/replay-guard.js';
import { registerListeners } from './slack/listeners/index.js';
import { replayGuard, responseUrlGuard, workspaceGuard, type OwnWorkspace } from './slack/listeners/request-guards.js';
import type { Caches } from './service/caches.js';
import { InteractionService } from './service/interaction-service.js';
import { LogService } from './service/log-service.js';
import type { DonorSource, InteractionLog } from './luminate/client.js';
import { accessPolicies, slackDirectory } from './slack/wiring.js';
import { Answers } from './slack/answer.js';
import { ModalOrigins } from './slack/modal-origin.js';
import { ResponseUrls } from './slack/response-url.js';
import type { Clock } from './clock.js';
import { toBoltLogger, type Logger } from './observability/logger.js';
import { refuseFutureTimestamps, SERVER_OPTIONS, MAX_BODY_BYTES, MAX_CONNECTIONS } from './server-limits.js';
import { WorkTracker } from './work-tracker.js';

/** Slack's Web API answers in well under a second; a call still open after this will not help the person waiting. */
const SLACK_TIMEOUT_MS = 5000;
/** views.open's share of a trigger_id's 3 s (see below). */
const VIEWS_OPEN_TIMEOUT_MS = 1400;

export interface BotOptions {
  config: Config;
  logger: Logger;
  /** The Luminate reads, cached: see `createCaches`. */
  caches: Caches;
  clock?: Clock;
  /** How long a lookup may take before the person is told it is still going. */
  slowNoticeMs?: number;
  /** Where audit lines go; stdout by default. */
  audit?: AuditLog;
  /**
   * What replicas share (REDIS_URL): the per-person limit, the replay memory, and whether Redis answers
   * (for /healthz). Absent: this process keeps both in memory and /healthz says nothing of Redis.
   */
  shared?: SharedState;
  /** The write "Log to Luminate" makes, and the list read that finds it; without it, logging stays off. */
  luminate?: InteractionLog & Pick<DonorSource, 'getUserInteractions'>;
}

export interface SharedState {
  rateLimit: RateLimit;
  replays: ReplayStore;
  status(): 'up' | 'down';
}

export interface Bot {
  /**
   * Checks the bot token (`auth.test`) and starts receiving. HTTP mode listens
   * on `listen` (default: `PORT` on `HOST`, all interfaces when unset) and resolves its port.
   */
  start(listen?: { port?: number; host?: string }): Promise<{ port: number; address?: string }>;
  /**
   * Stops taking requests and waits (up to `graceMs`) for acknowledged
   * lookups to post their answers. Resolves false if some did not finish.
   * Calling it again returns the same promise.
   */
  stop(graceMs?: number): Promise<boolean>;
  /** Lookups acknowledged but not yet answered. */
  readonly pendingAnswers: number;
}

export function createBot({
  config,
  logger,
  caches,
  clock = Date.now,
  slowNoticeMs = 1500,
  audit = createAuditLog({ clock, replica: config.replicaId }),
  shared,
  luminate,
}: BotOptions): Bot {
  const boltLogger = toBoltLogger(logger, config.logLevel);
  const work = new WorkTracker({ logger });
  let state: 'starting' | 'ready' | 'stopping' = 'starting';
  let stopped: Promise<boolean> | undefined;

  const healthz: CustomRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      res.writeHead(state === 'ready' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      // Redis down is no reason to take a replica out of rotation: it answers from its own memory and Luminate.
      res.end(JSON.stringify(shared ? { status: state, redis: shared.status() } : { status: state }));
    },
  };

  const socketMode = config.slack.appToken !== undefined;
  const slackApi = config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {};
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: config.slack.appToken!,
        logger: boltLogger,
        customRoutes: [healthz],
        // The socket client opens its connection with apps.connections.open: through SLACK_API_URL too.
        installerOptions: { port: config.port, clientOptions: slackApi },
      })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret!,
        logger: boltLogger,
        customRoutes: [healthz],
        // A long-running server answers Slack on ack(); holding the response until
        // the listener ends would put Luminate's latency inside Slack's 3 seconds.
        processBeforeResponse: false,
        bodyLimit: MAX_BODY_BYTES,
      });
  if (receiver instanceof HTTPReceiver) refuseFutureTimestamps(receiver, logger);

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: boltLogger,
    // auth.test runs in start(), where a rejected token becomes a clear message instead of an unhandled rejection.
    deferInitialization: true,
    // The bot subscribes to no events, so there are no messages of its own to ignore and no
    // conversation state to keep: both built-in middlewares would only add work to every request.
    ignoreSelf: false,
    convoStore: false,
    clientOptions: {
      ...slackApi,
      // The client's default is no timeout: a hung call would hold its person, and its place among the client's 100 in flight
      // (maxRequestConcurrency, kept at its default), forever. With it, a client full of hung calls clears within 5 s.
      timeout: SLACK_TIMEOUT_MS,
      // On a 429 the client would pause its whole queue for Retry-After (often 20 s or more), holding every
      // other person's call with it. A rate-limited call fails on its own; its caller decides what the person sees.
      rejectRateLimitedCalls: true,
      // The default retries for about 30 minutes; a person is waiting. Only a quick failure (a reset connection,
      // a 5xx) is retried, so no call outlasts SLACK_TIMEOUT_MS by more than about 1.5 s.
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000, maxRetryTime: 1000 },
    },
  });
  // A trigger_id dies about 3 s after the click, so views.open gets a client, and so a queue, of its own: it never
  // waits behind other calls. A shortcut spends at most 1 s before it (access check, names), and views.open at
  // most about 1.6 s (1.4 s, after one quick retry started within 200 ms): the form is asked for by about 2.6 s.
  const views = new webApi.WebClient(config.slack.botToken, {
    ...slackApi,
    logger: boltLogger,
    timeout: VIEWS_OPEN_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 1, minTimeout: 100, maxTimeout: 100, maxRetryTime: 100 },
  });

  const { access, loggers } = accessPolicies(app.client, config, logger, clock);
  const responseUrls = new ResponseUrls({ slackApiUrl: config.slack.apiUrl, logger });
  let ownWorkspace: OwnWorkspace | undefined;
  // Before every listener: a repeat touches nothing; then only the bot's own workspace and Slack's own response_urls.
  const replays = shared?.replays ?? new MemoryReplayStore({ clock });
  app.use(replayGuard(replays, logger));
  app.use(workspaceGuard(() => ownWorkspace, audit, logger));
  app.use(responseUrlGuard(responseUrls, logger));
  // One limit for cards, lists and logs: a page of a list, or a log, counts as one lookup.
  const rateLimit = shared?.rateLimit ?? new LookupRateLimit({ perMinute: config.access.lookupsPerMinute, clock });
  registerListeners(app, {
    service: new InteractionService({ ...caches, access, rateLimit, audit, logger, clock }),
    logs: new LogService({
      enabled: config.logging.enabled,
      access,
      loggers,
      rateLimit,
      // The replay memory: a form, or the same entry, sent twice within the window logs once.
      once: replays,
      ...(luminate ? { luminate } : {}),
      caches,
      audit,
      logger,
      clock,
    }),
    directory: slackDirectory(app.client, logger, clock),
    answers: new Answers({
      typeNames: config.luminate.interactionTypeNames,
      adminUrlTemplate: config.luminate.adminUrlTemplate,
      access: { contact: config.access.contact, channels: [...config.access.channels] },
      clock,
    }),
    typeNames: config.luminate.interactionTypeNames,
    audit,
    channels: new ChannelExposureCheck({
      channelInfo: async (channel) => (await app.client.conversations.info({ channel })).channel ?? {},
      onError: (channel, error) => logger.warn('conversations.info failed: not sharing into a channel Slack has not confirmed internal', { channel, error }),
      clock,
    }),
    responseUrls,
    origins: new ModalOrigins({ botToken: config.slack.botToken, requestSecret: (config.slack.signingSecret ?? config.slack.appToken)! }),
    views: views.views,
    work,
    logger,
    slowNoticeMs,
  });
  app.error(async (error) => {
    logger.error('listener failed', { error });
  });

  return {
    get pendingAnswers() {
      return work.size;
    },
    async start(listen = {}) {
      await app.init();
      const auth = await app.client.auth.test();
      ownWorkspace = { teamId: auth.team_id ?? '', enterpriseId: auth.enterprise_id || null };
      let port = config.port;
      let address: string | undefined;
      if (receiver instanceof HTTPReceiver) {
        const server = (await app.start({ port: listen.port ?? config.port, host: listen.host ?? config.host }, SERVER_OPTIONS)) as Server;
        server.maxConnections = MAX_CONNECTIONS;
        ({ port, address } = server.address() as AddressInfo);
      } else {
        await app.start();
      }
      state = 'ready';
      logger.info('bot started', { mode: socketMode ? 'socket' : 'http', port, ...(shared ? { redis: shared.status() } : {}) });
      return { port, address };
    },
    stop(graceMs = 9000) {
      state = 'stopping';
      stopped ??= Promise.all([app.stop(), work.drain(graceMs)]).then(async ([, drained]) => {
        await responseUrls.close();
        return drained;
      });
      return stopped;
    },
  };
}
