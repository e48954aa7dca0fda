import { Redis, type RedisOptions } from 'ioredis';

/** The two logger methods the store needs; the bot's logger satisfies it. */
export interface StoreLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export type RedisStatus = 'up' | 'down';

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://`, password and database index inside. Never logged. */
  url: string;
  logger: StoreLogger;
  /** Every command's limit: a slow Redis adds at most this to a lookup, never a hang. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** While commands time out on an open connection, how often a PING checks whether Redis is back. */
  probeIntervalMs?: number;
  /** Shown in `CLIENT LIST`, e.g. the replica id. */
  name?: string;
}

/** What a command through {@link RedisConnection.run} gave: never a throw, so callers fall back in one line. */
export type RunResult<T> = { ok: true; value: T } | { ok: false };

const RECONNECT_MAX_MS = 2000;

/**
 * One Redis connection for commands and one for pub/sub (a subscribed connection can send
 * nothing else), with the bot's outage rules: every command has a short timeout; commands fail at
 * once while disconnected rather than queue; reconnection retries with backoff forever, also when
 * Redis is unreachable at start. Up/down is tracked here so that an outage is logged once when it
 * starts and once when it ends, never once per request; while down, callers skip Redis entirely.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #logger: StoreLogger;
  readonly #probeIntervalMs: number;
  readonly #options: RedisOptions;
  readonly #url: string;
  #subscriber: Redis | undefined;
  #status: RedisStatus = 'down';
  /** Nothing announced yet: the first outcome of the first connection is logged as such. */
  #announced = false;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #channelHandlers = new Map<string, Set<(message: string) => void>>();
  readonly #resyncHandlers = new Set<() => void>();

  constructor({ url, logger, commandTimeoutMs = 250, connectTimeoutMs = 1000, probeIntervalMs = 1000, name }: RedisConnectionOptions) {
    this.#logger = logger;
    this.#probeIntervalMs = probeIntervalMs;
    this.#url = url;
    this.#options = {
      connectTimeout: connectTimeoutMs,
      commandTimeout: commandTimeoutMs,
      enableOfflineQueue: false,
      // Commands issued in one event-loop turn (many people's replay SETs, limit scripts, cache reads) leave
      // in one write and come back in one read: fewer syscalls for the bot and for Redis on busy cores.
      enableAutoPipelining: true,
      // A command in flight when the connection drops fails now; the caller has already fallen back.
      maxRetriesPerRequest: 0,
      // Exponential backoff with jitter, capped, never giving up: Redis coming back is noticed by itself.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), RECONNECT_MAX_MS) + Math.floor(Math.random() * 100),
      ...(name ? { connectionName: name } : {}),
    };
    this.client = new Redis(url, this.#options);
    this.client.on('ready', () => this.#up());
    // An error event comes with every failed reconnect attempt; the status change is what gets logged.
    this.client.on('error', (error: Error) => this.#down(error));
    this.client.on('close', () => this.#down(undefined));
  }

  status(): RedisStatus {
    return this.#status;
  }

  /**
   * Runs a command unless Redis is known to be down. A failure or timeout marks it down (logged
   * once) and comes back as `{ ok: false }`; it never throws.
   */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<RunResult<T>> {
    if (this.#status !== 'up') return { ok: false };
    try {
      return { ok: true, value: await command(this.client) };
    } catch (error) {
      this.noteFailure(error);
      return { ok: false };
    }
  }

  /**
   * A command failed. A timeout on an open connection means a slow Redis: mark it down so the next
   * requests skip it, and PING until it answers in time. Redis's own refusals (a wrong type, a script
   * error) say nothing about reachability and leave the status alone.
   */
  noteFailure(error: unknown): void {
    const message = error instanceof Error ? error.message : '';
    if (/timed out|timeout/i.test(message)) {
      this.#down(error as Error);
      this.#startProbe();
    } else if (this.client.status !== 'ready') {
      this.#down(error as Error);
    }
  }

  /** Resolves true once connected, or false after `timeoutMs` (for the doctor and tests; the bot never waits). */
  async waitUntilUp(timeoutMs: number): Promise<boolean> {
    if (this.#status === 'up') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        resolve(this.#status === 'up');
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        // After #up has run: listeners run in the order they were added, and ours came first.
        resolve(true);
      };
      this.client.once('ready', onReady);
    });
  }

  /** Delivers each message on `channel` to `handler` until the returned function is called. Subscribes lazily. */
  subscribe(channel: string, handler: (message: string) => void): () => void {
    const subscriber = this.#subscriberConnection();
    let handlers = this.#channelHandlers.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#channelHandlers.set(channel, handlers);
      // Queued until connected, and resubscribed by ioredis after every reconnect.
      subscriber.subscribe(channel).catch(() => undefined);
    }
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0 && this.#channelHandlers.get(channel) === handlers) {
        this.#channelHandlers.delete(channel);
        subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  /**
   * Called each time the pub/sub connection is (re)established after the first time: messages
   * published while it was away are lost, so anything kept on the strength of them must be dropped.
   */
  onResync(handler: () => void): () => void {
    this.#resyncHandlers.add(handler);
    return () => this.#resyncHandlers.delete(handler);
  }

  async publish(channel: string, message: string): Promise<boolean> {
    const result = await this.run((c) => c.publish(channel, message));
    return result.ok;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#probe);
    this.#probe = undefined;
    // QUIT lets replies in flight arrive; a connection that is not up (or a QUIT that is not answered
    // soon) is just dropped, since QUIT would wait in the offline queue for a Redis that may never return.
    const quit = async (c: Redis | undefined) => {
      if (c?.status === 'ready') await Promise.race([c.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 500).unref())]);
      c?.disconnect();
    };
    await Promise.all([quit(this.client), quit(this.#subscriber)]);
  }

  #subscriberConnection(): Redis {
    if (this.#subscriber) return this.#subscriber;
    // Subscribe commands wait for the connection (offline queue on); nothing else is sent here.
    // autoResubscribe off: ioredis's own resubscribe after a reconnect leaves its promise unhandled, and a
    // close() during that reconnect rejects it ("Connection is closed."), which would end a process run
    // with Node's default --unhandled-rejections=throw. Resubscribing is done here instead, with a catch.
    const subscriber = new Redis(this.#url, { ...this.#options, enableOfflineQueue: true, enableAutoPipelining: false, maxRetriesPerRequest: null, commandTimeout: undefined, autoResubscribe: false });
    let readyBefore = false;
    subscriber.on('error', () => undefined);
    subscriber.on('ready', () => {
      if (!readyBefore) {
        // The first time, the subscribe commands queued before the connection are sent by ioredis itself.
        readyBefore = true;
        return;
      }
      const channels = [...this.#channelHandlers.keys()];
      const resync = () => this.#resyncHandlers.forEach((handler) => handler());
      // Messages published while pub/sub was away are lost: once subscribed again (no message missed from
      // then on), whatever was kept on the strength of them is dropped. A failed subscribe means the
      // connection went again; its next 'ready' comes back here.
      if (channels.length === 0) resync();
      else subscriber.subscribe(...channels).then(resync).catch(() => undefined);
    });
    subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.#channelHandlers.get(channel) ?? []) handler(message);
    });
    this.#subscriber = subscriber;
    return subscriber;
  }

  #up(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
    if (this.#status === 'up' && this.#announced) return;
    const first = !this.#announced;
    this.#status = 'up';
    this.#announced = true;
    this.#logger.info(first ? 'Redis connected: answers, limits and replay memory are shared with other replicas' : 'Redis is back: sharing answers, limits and replay memory again');
  }

  #down(error: Error | undefined): void {
    if (this.#closed) return;
    if (this.#status === 'down' && this.#announced) return;
    const first = !this.#announced;
    this.#status = 'down';
    this.#announced = true;
    const reason = describe(error);
    this.#logger.warn(
      first
        ? 'Redis unreachable at start; answering from memory and Luminate (own cache, own rate limit) and trying to connect'
        : 'Redis is unreachable: this replica answers on its own (own cache, own rate limit) until it is back',
      reason ? { reason } : undefined,
    );
  }

  #startProbe(): void {
    if (this.#probe || this.#closed) return;
    this.#probe = setInterval(() => {
      if (this.client.status !== 'ready') return; // the 'ready' event will bring it back
      this.client.ping().then(
        () => this.#up(),
        () => undefined,
      );
    }, this.#probeIntervalMs);
    this.#probe.unref();
  }
}

/**
 * A reason an operator can act on, from fixed words only: ioredis's messages name the host and
 * port, and a server's reply could quote anything.
 */
function describe(error: Error | undefined): string | undefined {
  if (!error) return 'connection closed';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z_]{2,32}$/.test(code)) return code;
  const message = error.message;
  if (/timed out|timeout/i.test(message)) return 'timed out';
  if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message)) return 'authentication failed';
  return 'connection error';
}
