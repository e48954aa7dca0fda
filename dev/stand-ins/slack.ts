import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A stand-in for the Slack side on loopback: the Web API (`/api/<method>`,
 * given to the bot as `SLACK_API_URL`) and `response_url`s (`/respond/<n>`).
 * It records what the bot sends so tests and the demo can read the answer.
 */

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  /** Whether the bearer token matched; the token itself is not kept. */
  authorized: boolean;
}

export interface ResponsePost {
  /** Which response_url was used. */
  url: string;
  body: Record<string, unknown>;
  /** Milliseconds since the epoch, sub-millisecond (performance.timeOrigin + performance.now()). */
  receivedAt: number;
}

export interface StandInSlackOptions {
  botToken: string;
  /** App-level token accepted for `apps.connections.open` (Socket Mode). */
  appToken?: string;
  teamId?: string;
  botUserId?: string;
}

type Waiter = { check: () => boolean; resolve: () => void };

export class StandInSlack {
  readonly apiCalls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  /** Status for response_url posts, e.g. 404 for an expired URL. */
  responseStatus = 200;
  /** Web API methods made to fail, with Slack's error code, e.g. `chat.postEphemeral` → `channel_not_found`. */
  readonly failingMethods = new Map<string, string>();
  /** Members of each user group, for `usergroups.users.list`. */
  readonly usergroups = new Map<string, string[]>();
  /** Web API methods answered with HTTP 429 and `Retry-After` (seconds), as Slack rate-limits a method. */
  readonly rateLimitedMethods = new Map<string, number>();
  /** Web API methods that never answer (until close()): a Slack that accepts the connection and stalls. */
  readonly hangingMethods = new Set<string>();
  /** Web API methods answered only after this many ms: a slow Slack. */
  readonly methodLatencyMs = new Map<string, number>();
  /** `conversations.info` fields per channel id (`is_ext_shared: true` for Slack Connect); others answer as an ordinary internal channel. */
  readonly channels = new Map<string, Record<string, unknown>>();
  /** Display names for `users.info`; others answer with an empty display name. */
  readonly userNames = new Map<string, string>();
  /** What `apps.connections.open` hands out: the Socket Mode WebSocket to connect to. */
  socketModeUrl: string | null = null;
  /**
   * Each modal's current hash and view, as Slack keeps them: a views.update whose `hash` is not the
   * current one answers `hash_conflict`. A view not opened here is taken as it comes.
   */
  readonly views = new Map<string, { hash: string; view: unknown }>();
  /** Called with every response_url post as it arrives (the benchmark forwards them to its driver). */
  onResponse: ((post: ResponsePost) => void) | null = null;

  readonly #server: Server;
  readonly #options: Required<StandInSlackOptions>;
  readonly #sockets = new Set<Socket>();
  /** The same posts by URL, so looking one up stays cheap over thousands (benchmarks). */
  readonly #byUrl = new Map<string, ResponsePost[]>();
  #waiters: Waiter[] = [];
  #nextUrl = 0;
  #nextView = 0;

  private constructor(server: Server, options: StandInSlackOptions) {
    this.#server = server;
    this.#options = { teamId: 'T0STANDIN', botUserId: 'U0BOT', appToken: '', ...options };
  }

  static async start(options: StandInSlackOptions): Promise<StandInSlack> {
    let standIn!: StandInSlack;
    const server = createServer((req, res) => void standIn.#handle(req, res));
    standIn = new StandInSlack(server, options);
    server.on('connection', (socket) => {
      standIn.#sockets.add(socket);
      socket.on('close', () => standIn.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** `SLACK_API_URL` for the bot. */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A fresh response_url, as Slack puts in each command and interactive payload. */
  newResponseUrl(): string {
    this.#nextUrl += 1;
    return `${this.origin}/respond/${this.#nextUrl}`;
  }

  responsesTo(url: string): ResponsePost[] {
    return this.#byUrl.get(url) ?? [];
  }

  /** Forgets recorded posts (a benchmark between workloads). */
  clearResponses(): void {
    this.responses.length = 0;
    this.#byUrl.clear();
  }

  callsTo(method: string): ApiCall[] {
    return this.apiCalls.filter((c) => c.method === method);
  }

  /** Resolves once `check` holds, re-checked after every request; rejects after `timeoutMs`. */
  async waitFor(check: () => boolean, timeoutMs = 5000, what = 'the expected Slack traffic'): Promise<void> {
    if (check()) return;
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { check, resolve };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#waiters.push(waiter);
    });
  }

  /** Waits for the `count`-th call of a Web API method and returns it. */
  async waitForCall(method: string, count = 1, timeoutMs = 5000): Promise<ApiCall> {
    await this.waitFor(() => this.callsTo(method).length >= count, timeoutMs, `call ${count} of ${method}`);
    return this.callsTo(method)[count - 1]!;
  }

  /** Waits for the `count`-th post to a response_url and returns it. */
  async waitForResponse(url: string, count = 1, timeoutMs = 5000): Promise<ResponsePost> {
    await this.waitFor(() => this.responsesTo(url).length >= count, timeoutMs, `response ${count} at ${url}`);
    return this.responsesTo(url)[count - 1]!;
  }

  reset(): void {
    this.apiCalls.length = 0;
    this.clearResponses();
    this.responseStatus = 200;
    this.failingMethods.clear();
    this.views.clear();
    this.rateLimitedMethods.clear();
    this.hangingMethods.clear();
    this.methodLatencyMs.clear();
    this.channels.clear();
    this.userNames.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #notify(): void {
    const ready = this.#waiters.filter((w) => w.check());
    this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', this.origin).pathname;
    const body = parseBody(raw, req.headers['content-type']);

    if (path.startsWith('/respond/')) {
      const post = { url: `${this.origin}${path}`, body, receivedAt: performance.timeOrigin + performance.now() };
      this.responses.push(post);
      const forUrl = this.#byUrl.get(post.url);
      if (forUrl) forUrl.push(post);
      else this.#byUrl.set(post.url, [post]);
      this.onResponse?.(post);
      res.writeHead(this.responseStatus, { 'content-type': 'text/plain' }).end(this.responseStatus === 200 ? 'ok' : 'expired_url');
      this.#notify();
      return;
    }
    if (path.startsWith('/api/')) {
      const method = path.slice('/api/'.length);
      const bearer = req.headers.authorization;
      const authorized =
        bearer === `Bearer ${this.#options.botToken}` || (method === 'apps.connections.open' && this.#options.appToken !== '' && bearer === `Bearer ${this.#options.appToken}`);
      const { token: _token, ...args } = body;
      this.apiCalls.push({ method, args, authorized });
      const retryAfter = this.rateLimitedMethods.get(method);
      if (this.hangingMethods.has(method)) {
        // Recorded but never answered; close() destroys the socket.
        this.#notify();
        return;
      }
      const latency = this.methodLatencyMs.get(method);
      if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
      if (retryAfter !== undefined) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        this.#notify();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.#answer(method, authorized, args)));
      this.#notify();
      return;
    }
    res.writeHead(404).end();
  }

  #answer(method: string, authorized: boolean, args: Record<string, unknown>): Record<string, unknown> {
    if (!authorized) return { ok: false, error: 'invalid_auth' };
    const failure = this.failingMethods.get(method);
    if (failure) return { ok: false, error: failure };
    const { teamId, botUserId } = this.#options;
    switch (method) {
      case 'apps.connections.open':
        return this.socketModeUrl ? { ok: true, url: this.socketModeUrl } : { ok: false, error: 'not_allowed_token_type' };
      case 'usergroups.users.list': {
        const members = this.usergroups.get(String(args.usergroup));
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      case 'auth.test':
        return { ok: true, url: 'https://stand-in.slack.test/', team: 'Stand-in workspace', user: 'luminate-bot', team_id: teamId, user_id: botUserId, bot_id: 'B0BOT' };
      case 'conversations.info': {
        const id = String(args.channel);
        const internal = { id, name: id.toLowerCase(), is_channel: true, is_private: false, is_shared: false, is_ext_shared: false, is_org_shared: false, is_pending_ext_shared: false };
        return { ok: true, channel: { ...internal, ...this.channels.get(id) } };
      }
      case 'users.info': {
        const id = String(args.user);
        const name = this.userNames.get(id);
        return { ok: true, user: { id, name: id.toLowerCase(), real_name: name ?? '', profile: { display_name: name ?? '' } } };
      }
      case 'chat.getPermalink': {
        const ts = String(args.message_ts);
        return { ok: true, channel: args.channel, permalink: `https://stand-in.slack.test/archives/${String(args.channel)}/p${ts.replace('.', '')}` };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${Date.now() / 1000}` };
      case 'chat.postMessage':
        return { ok: true, ts: `${Date.now() / 1000}`, channel: 'C0STANDIN' };
      case 'views.open':
      case 'views.update': {
        const id = method === 'views.open' ? `V0STANDIN${++this.#nextView}` : String(args.view_id);
        const current = this.views.get(id);
        if (method === 'views.update' && args.hash !== undefined && current && current.hash !== args.hash) return { ok: false, error: 'hash_conflict' };
        const hash = `${Date.now()}.${++this.#nextView}`;
        this.views.set(id, { hash, view: args.view });
        return { ok: true, view: { id, hash } };
      }
      default:
        return { ok: true };
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The Web API client sends forms (with JSON-encoded blocks); respond() sends JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      out[key] = value;
    }
  }
  return out;
}
