import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { blocked, httpFailure, nonJsonFailure, parseJson, readCapped } from './body.js';
import { LuminateApiError, LuminateBadResponseError, LuminateError, LuminateTimeoutError, LuminateUnavailableError, type LuminateErrorReason } from './errors.js';
import { errorResponseSchema } from './schema.js';

// One request to SRConsAPI on the wire and what its answer means; the transport decides how
// often, on which connections and within what budget it runs.

/**
 * One API method as the transport runs it: its name, its own parameters, the zod schema of
 * its success answer and what a valid answer means (which may still be a failure: an empty
 * answer, a mismatch).
 */
export interface ReadMethod<S extends z.ZodType, T> {
  method: string;
  params: Readonly<Record<string, string>>;
  schema: S;
  result: (answer: z.output<S>, status: number) => T;
  /** What this method's `errorResponse` codes mean where they differ from a lookup's. */
  reasons?: Readonly<Record<string, LuminateErrorReason>>;
}

/** A method that changes a record: the same shape as a read, run by `LuminateTransport.write` (never retried). */
export type WriteMethod<S extends z.ZodType, T> = ReadMethod<S, T>;

/** The service account, sent in every form body (never in a URL: a query string ends up in proxy and server logs). */
export interface Credentials {
  apiKey: string;
  loginName: string;
  loginPassword: string;
}

/** Where one request goes and how long it may take. */
export interface Route {
  /** The path of SRConsAPI on the dispatcher's origin. */
  path: string;
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** Close the connection after this request, so the next one opens its own. */
  fresh?: boolean;
}

/** The form body: credentials and the fixed parameters, then the method's own. */
export function formBody(call: ReadMethod<z.ZodType, unknown>, { apiKey, loginName, loginPassword }: Credentials): string {
  return new URLSearchParams({
    method: call.method,
    v: '1.0',
    response_format: 'json',
    api_key: apiKey,
    login_name: loginName,
    login_password: loginPassword,
    ...call.params,
  }).toString();
}

/** One request, and what its answer means: the method's result, or a {@link LuminateError}. */
export async function exchange<S extends z.ZodType, T>(call: ReadMethod<S, T>, body: string, signal: AbortSignal, route: Route, credentials: Credentials): Promise<T> {
  const { status, text, location } = await post(body, signal, route);
  // Luminate's message can echo the request; the service account's login name is half of its credentials.
  const secrets = [credentials.apiKey, credentials.loginPassword, credentials.loginName];
  const json = parseJson(text);
  if (json === undefined) throw nonJsonFailure(status, text, { secrets, ...(call.reasons ? { reasons: call.reasons } : {}), ...(location ? { location } : {}) });

  // Checked by key first: a failed zod parse builds its issues, which would cost every good answer more than its own parse.
  if (typeof json === 'object' && json !== null && 'errorResponse' in json) {
    const error = errorResponseSchema.safeParse(json);
    // 403 normally; 200 when the site forces suppress_response_codes.
    if (error.success) throw new LuminateApiError(error.data.errorResponse.code, error.data.errorResponse.message ?? '', { secrets, ...(call.reasons ? { reasons: call.reasons } : {}) });
    throw blocked(status, 'an errorResponse without a code');
  }
  if (status !== 200) throw httpFailure(status, location);

  const parsed = call.schema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((i) => i.path.join('.').slice(0, 100) || '(root)').join(', ');
    throw new LuminateBadResponseError(`Response is not a ${call.method} response (problems at: ${where})`, status, { problem: 'wrong_shape' });
  }
  return call.result(parsed.data, status);
}

async function post(body: string, signal: AbortSignal, { path, dispatcher, timeoutMs, fresh = false }: Route): Promise<{ status: number; text: string; location: string | undefined }> {
  let response: Dispatcher.ResponseData | undefined;
  try {
    response = await dispatcher.request({
      method: 'POST',
      path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
        accept: 'application/json',
        'user-agent': 'luminate-interaction-bot',
      },
      body,
      // Already this call's own: undici drops its listener when the answer is read or fails.
      signal,
      reset: fresh,
    });
    const location = response.headers.location;
    return {
      status: response.statusCode,
      text: await readCapped(response.body, response.statusCode),
      location: Array.isArray(location) ? location[0] : location,
    };
  } catch (cause) {
    response?.body.destroy();
    if (cause instanceof LuminateError) throw cause;
    if (signal.aborted) throw new LuminateTimeoutError(timeoutMs);
    // Once the body has started, the answer is lost but not retried blindly.
    const code = errorCode(cause);
    const beforeResponse = response === undefined;
    throw new LuminateUnavailableError(`Could not reach Luminate: ${code ?? 'unknown error'}${beforeResponse ? '' : ' (mid-body)'}`, undefined, {
      cause,
      transient: beforeResponse && TRANSIENT_NETWORK_CODES.has(code ?? ''),
    });
  }
}

/** An AbortController that also aborts when `parent` does, until `unlink()` drops the listener. */
export function linkedController(parent: AbortSignal | undefined): AbortController & { unlink: () => void } {
  const controller = new AbortController() as AbortController & { unlink: () => void };
  const onAbort = () => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  controller.unlink = () => parent?.removeEventListener('abort', onAbort);
  return controller;
}

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  return typeof code === 'string' ? code : typeof name === 'string' ? name : undefined;
}
