import { Agent, request } from 'undici';
import type { Logger } from '../observability/logger.js';
import type { SlackMessage } from './render/message.js';

/** A message for a response_url: a card or notice, ephemeral unless said otherwise. */
export type ResponseMessage = SlackMessage & { response_type?: 'ephemeral' | 'in_channel'; replace_original?: boolean };

/** Posts one message to the response_url it was made for; rejects on anything but 2xx. */
export type Respond = (message: ResponseMessage) => Promise<void>;

/** Slack answered a response_url post with an error (expired after 30 minutes, or used 5 times). */
class ResponseUrlError extends Error {
  override readonly name = 'ResponseUrlError';
  constructor(readonly status: number) {
    super(`response_url answered HTTP ${status}`);
  }
}

/** The payload's response_url is not one Slack issues; nothing was posted. */
export class ResponseUrlRefusedError extends Error {
  override readonly name = 'ResponseUrlRefusedError';
  constructor(readonly origin: string) {
    super(`response_url on ${origin} is not Slack's; not posted`);
  }
}

/** Where Slack's response_urls live. */
const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com';

/**
 * Posts to response_urls over one keep-alive agent, with undici's request() rather than
 * Bolt's respond(): the WHATWG fetch behind respond() costs far more per POST, and a
 * post here needs its own timeout and the allow-list of hosts below.
 */
export class ResponseUrls {
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  readonly #origins: ReadonlySet<string>;
  readonly #logger: Logger | undefined;

  /**
   * Only Slack's own origin is posted to, plus `slackApiUrl`'s (a stand-in or
   * an egress proxy): the payload names the URL, and a signed payload naming
   * an internal address would otherwise get a donor card posted there.
   */
  constructor({ timeoutMs = 10_000, connections = 50, slackApiUrl, logger }: { timeoutMs?: number; connections?: number; slackApiUrl?: string; logger?: Logger } = {}) {
    this.#timeoutMs = timeoutMs;
    this.#origins = new Set([SLACK_HOOKS_ORIGIN, ...(slackApiUrl ? [new URL(slackApiUrl).origin] : [])]);
    this.#logger = logger;
    this.#agent = new Agent({ connections, keepAliveTimeout: 30_000 });
  }

  /** Whether the bot may post to `url`. Callers that refuse log the origin only: the path is a credential. */
  allowed(url: string): boolean {
    return this.#origins.has(originOf(url));
  }

  /** The poster for one payload's response_url. */
  to(url: string | undefined): Respond {
    return async (message) => {
      if (!url) throw new Error('the payload carried no response_url');
      if (!this.allowed(url)) {
        this.#logger?.warn("refused a response_url that is not Slack's", { origin: originOf(url) });
        throw new ResponseUrlRefusedError(originOf(url));
      }
      const { statusCode, body } = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        dispatcher: this.#agent,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      await body.dump();
      if (statusCode < 200 || statusCode > 299) throw new ResponseUrlError(statusCode);
    };
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an unparsable URL';
  }
}
