import type { Dispatcher } from 'undici';
import { LuminateApiError, LuminateBadResponseError, LuminateError, LuminateTimeoutError, LuminateUnavailableError, LuminateWriteUncertainError } from './errors.js';

/**
 * Whether a write's bytes may have left: set when undici hands the request to a connected
 * socket (`onRequestStart`, just before it writes the headers). A failure while waiting for a
 * connection, resolving the name, connecting or in the TLS handshake comes before that, so the
 * write certainly never reached Luminate.
 */
export interface SendTracker {
  sent: boolean;
}

/**
 * An undici interceptor that flags `tracker.sent` once the request is on a socket, then hands over
 * unchanged. undici aborts a request given up while it waited for a connection only when a
 * connection frees up, at that same moment and before writing a byte: so it counts as sent only
 * if `signal` had not been aborted by then.
 */
export function trackSending(tracker: SendTracker, signal: AbortSignal): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => {
        if (!signal.aborted) tracker.sent = true;
        handler.onRequestStart?.(controller, context);
      },
      onRequestUpgrade: (...args) => handler.onRequestUpgrade?.(...args),
      onResponseStart: (...args) => handler.onResponseStart?.(...args),
      onResponseData: (...args) => handler.onResponseData?.(...args),
      onResponseEnd: (...args) => handler.onResponseEnd?.(...args),
      onResponseError: (...args) => handler.onResponseError?.(...args),
    });
}

/**
 * What a write's failure means once its request may have reached Luminate. Luminate's own
 * refusals (an `errorResponse`) and answers that show the request never got to `SRConsAPI`
 * (a firewall's 403, a redirect not followed, a 404/405, a 429) still mean nothing was recorded.
 * A timeout, a lost connection, a 5xx without an `errorResponse`, or a 2xx that is not the
 * method's known answer may hide a recorded write: {@link LuminateWriteUncertainError}.
 */
export function failureAfterSending(error: unknown): LuminateError {
  if (error instanceof LuminateApiError || error instanceof LuminateWriteUncertainError) return error;
  if (error instanceof LuminateTimeoutError) return new LuminateWriteUncertainError('timeout', { cause: error });
  if (error instanceof LuminateUnavailableError) {
    if (error.status === undefined) return new LuminateWriteUncertainError('connection_lost', { cause: error });
    return error.status >= 500 ? new LuminateWriteUncertainError('http_status', { cause: error }) : error;
  }
  if (error instanceof LuminateBadResponseError) {
    if (error.problem === 'mismatch') return new LuminateWriteUncertainError('mismatch', { cause: error });
    return error.status >= 200 && error.status < 300 ? new LuminateWriteUncertainError('unknown_answer', { cause: error }) : error;
  }
  if (error instanceof LuminateError) return error;
  return new LuminateWriteUncertainError('unknown_answer', { cause: error });
}
