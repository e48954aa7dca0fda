import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from './logger.js';

/** Slack's signature window, both ways. */
const MAX_SKEW_SECONDS = 5 * 60;

/**
 * Bolt refuses a signature more than 5 minutes old but not one dated in the
 * future, which would stay replayable for as long as its date is ahead. Such a
 * request is refused the way Bolt refuses a stale one: 401, empty body.
 */
export function refuseFutureTimestamps(receiver: HTTPReceiver, logger: Logger, now = Date.now): void {
  const handle = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const stamp = Number(req.headers['x-slack-request-timestamp']);
    if (req.method === 'POST' && Number.isFinite(stamp) && stamp > now() / 1000 + MAX_SKEW_SECONDS) {
      logger.warn('refused a request dated more than 5 minutes ahead', { aheadSeconds: Math.round(stamp - now() / 1000) });
      res.writeHead(401).end();
      return;
    }
    handle(req, res);
  };
}
