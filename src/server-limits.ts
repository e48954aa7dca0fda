import type { ServerOptions } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from './observability/logger.js';

/**
 * Slack sends small bodies in one go and waits 3 s for the answer, so a
 * request still arriving after a few seconds is not Slack. Node's defaults
 * (300 s for a request, checked every 30 s) let a few slow clients hold
 * connections for minutes.
 */
export const SERVER_OPTIONS: ServerOptions = {
  requestTimeout: 5_000,
  headersTimeout: 5_000,
  // Node's default, stated: an idle keep-alive socket closes after 5 s. A proxy in front must idle out sooner.
  keepAliveTimeout: 5_000,
  // How often the timeouts above are enforced; Node's 30 s default would let a slow request live 35 s.
  connectionsCheckingInterval: 1_000,
};

/**
 * Slack's own traffic to one bot is a handful of connections; a flood beyond this is refused at accept.
 * Each may hold a body up to MAX_BODY_BYTES before its signature can be checked, so this bounds what
 * anyone reaching the port can make the bot buffer (about 256 MB).
 */
export const MAX_CONNECTIONS = 256;

/**
 * Bolt buffers a request whole before checking its signature (4 MB by default). Slack's largest payload,
 * a message shortcut on a 40 000-character message with its blocks, URL-encoded, stays well under 1 MB.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Slack's signature window, both ways: Bolt refuses a request more than this old, and this module one more than this ahead. */
export const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Bolt refuses a signature more than 5 minutes old but not one dated in the
 * future, which would stay replayable for as long as its date is ahead. Such a
 * request is refused the way Bolt refuses a stale one: 401, empty body.
 */
export function refuseFutureTimestamps(receiver: HTTPReceiver, logger: Logger, now = Date.now): void {
  const handle = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const stamp = Number(req.headers['x-slack-request-timestamp']);
    // Infinity too: Bolt refuses NaN, but an endless date is never stale, so a request signed with one would never expire.
    if (req.method === 'POST' && stamp > now() / 1000 + MAX_SKEW_SECONDS) {
      logger.warn('refused a request dated more than 5 minutes ahead', { aheadSeconds: Math.round(stamp - now() / 1000) });
      res.writeHead(401).end();
      return;
    }
    handle(req, res);
  };
}
