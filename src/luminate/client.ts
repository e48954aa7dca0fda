import { Pool, type Dispatcher } from 'undici';
import {
  LuminateApiError,
  LuminateBadResponseError,
  LuminateError,
  LuminateTimeoutError,
  LuminateUnavailableError,
} from './errors.js';
import type { InteractionLookup } from './lookup.js';
import { errorResponseSchema, getInteractionResponseSchema, toInteraction, type Interaction } from './schema.js';

export interface LuminateClientOptions {
  /** Site base, e.g. `https://secure2.convio.net/yourorg/site`; `/SRConsAPI` is appended. */
  url: string;
  apiKey: string;
  loginName: string;
  loginPassword: string;
  /** Budget for one call, queueing for a connection included. */
  timeoutMs: number;
  /** Most requests in flight at once; further calls wait for a free connection. */
  maxConnections: number;
}

/** What the rest of the bot needs from Luminate; tests and the demo can supply their own. */
export interface InteractionSource {
  getInteraction(lookup: InteractionLookup, options?: { signal?: AbortSignal }): Promise<Interaction>;
}

/** Largest body read before the answer is judged not to be a `getInteraction` response. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The one place that talks to Luminate's server Constituent API (`SRConsAPI`).
 * Credentials go only in the POST body: a query string ends up in proxy and
 * server logs. Every failure leaves as a {@link LuminateError}.
 */
export class LuminateClient implements InteractionSource {
  readonly #pool: Pool;
  readonly #path: string;
  readonly #options: LuminateClientOptions;

  constructor(options: LuminateClientOptions) {
    const url = new URL(`${options.url.replace(/\/+$/, '')}/SRConsAPI`);
    this.#path = url.pathname;
    this.#options = options;
    // pipelining 1: each connection carries one request at a time, so
    // `connections` is exactly the most requests Luminate sees at once.
    this.#pool = new Pool(url.origin, {
      connections: options.maxConnections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
    });
  }

  async getInteraction(lookup: InteractionLookup, { signal }: { signal?: AbortSignal } = {}): Promise<Interaction> {
    const params = new URLSearchParams({
      method: 'getInteraction',
      v: '1.0',
      response_format: 'json',
      api_key: this.#options.apiKey,
      login_name: this.#options.loginName,
      login_password: this.#options.loginPassword,
      interaction_id: String(lookup.interactionId),
    });
    const { identifier } = lookup;
    if (identifier.kind === 'cons') params.set('cons_id', identifier.consId);
    else if (identifier.kind === 'member') params.set('member_id', identifier.memberId);
    else params.set('primary_email', identifier.email);

    const { status, text } = await this.#post(params.toString(), signal);
    const json = parseJson(text);
    if (json === undefined) throw nonJsonFailure(status, text);

    const error = errorResponseSchema.safeParse(json);
    // 403 normally; 200 when the site forces suppress_response_codes.
    if (error.success) throw new LuminateApiError(error.data.errorResponse.code, error.data.errorResponse.message ?? '');
    if (status !== 200) throw httpFailure(status);

    const parsed = getInteractionResponseSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new LuminateBadResponseError(`Response is not a getInteraction response (problems at: ${where})`, status);
    }
    const interaction = toInteraction(parsed.data);
    if (!interaction) throw new LuminateBadResponseError('Response held no interaction', status);
    return interaction;
  }

  /** Closes idle connections and waits for requests in flight. */
  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #post(body: string, callerSignal: AbortSignal | undefined): Promise<{ status: number; text: string }> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([timeout, callerSignal]) : timeout;
    let response: Dispatcher.ResponseData | undefined;
    try {
      response = await this.#pool.request({
        method: 'POST',
        path: this.#path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          accept: 'application/json',
          'user-agent': 'luminate-interaction-bot',
        },
        body,
        signal,
      });
      return { status: response.statusCode, text: await readCapped(response.body, response.statusCode) };
    } catch (cause) {
      response?.body.destroy();
      if (cause instanceof LuminateError) throw cause;
      if (timeout.aborted || isTimeoutCode(cause)) throw new LuminateTimeoutError(this.#options.timeoutMs);
      throw new LuminateUnavailableError(`Could not reach Luminate: ${describeNetworkError(cause)}`, undefined, { cause });
    }
  }
}

async function readCapped(body: Dispatcher.ResponseData['body'], status: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new LuminateBadResponseError(`Response body larger than ${MAX_BODY_BYTES} bytes`, status);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Luminate answers XML when `response_format` is lost on the way (its default),
 * so an XML `errorResponse` still yields its code.
 */
function nonJsonFailure(status: number, text: string): LuminateError {
  const xmlError = /<errorResponse[\s>][\s\S]*?<code>\s*([^<]+?)\s*<\/code>(?:[\s\S]*?<message>([\s\S]*?)<\/message>)?/.exec(text);
  if (xmlError) return new LuminateApiError(xmlError[1]!, decodeXmlText(xmlError[2] ?? ''));
  if (status !== 200) return httpFailure(status);
  const looksHtml = /^\s*<(!doctype|html|head|body)/i.test(text);
  return new LuminateBadResponseError(
    looksHtml ? 'Response is an HTML page, not JSON' : text.trim() === '' ? 'Response body is empty' : 'Response is not valid JSON',
    status,
  );
}

function httpFailure(status: number): LuminateError {
  // 5xx and 429 are Luminate (or a proxy in front of it) having a bad moment;
  // anything else (404, 405) means the request went somewhere that is not SRConsAPI.
  return status >= 500 || status === 429
    ? new LuminateUnavailableError(`Luminate answered HTTP ${status}`, status)
    : new LuminateBadResponseError(`Luminate answered HTTP ${status}`, status);
}

function decodeXmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

function isTimeoutCode(error: unknown): boolean {
  return typeof error === 'object' && error !== null && TIMEOUT_CODES.has(String((error as { code?: unknown }).code));
}

function describeNetworkError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return 'unknown error';
}
