import type { Dispatcher } from 'undici';
import { LuminateApiError, LuminateBadResponseError, LuminateUnavailableError, type LuminateError, type LuminateErrorReason } from './errors.js';

/**
 * How much of a body is searched for an error: an `errorResponse` or a page's opening
 * sits in the first few hundred bytes, and scanning no more keeps a 1 MB body cheap.
 */
const SCAN_LIMIT = 8 * 1024;
const BOM = '\uFEFF';

/** JSON, or undefined when the body is not JSON. A UTF-8 byte-order mark before it is allowed (some proxies add one). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.startsWith(BOM) ? text.slice(1) : text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * What a body that is not JSON says. Luminate answers XML when `response_format` is lost on the
 * way (its default), so an XML `errorResponse` still yields its code. Searched with indexOf over
 * the first {@link SCAN_LIMIT} characters only: a regex over Luminate's body can backtrack.
 */
export function nonJsonFailure(
  status: number,
  text: string,
  { secrets, reasons, location }: { secrets: readonly string[]; reasons?: Readonly<Record<string, LuminateErrorReason>>; location?: string },
): LuminateError {
  const head = text.length > SCAN_LIMIT ? text.slice(0, SCAN_LIMIT) : text;
  const xml = xmlErrorResponse(head);
  if (xml) {
    if (xml.code === '') return blocked(status, 'an errorResponse without a code');
    return new LuminateApiError(xml.code, xml.message, { secrets, ...(reasons ? { reasons } : {}) });
  }
  if (status !== 200) return httpFailure(status, location);
  const start = head.trimStart().slice(0, 15).toLowerCase();
  if (/^<(?:!doctype|html|head|body)/.test(start)) return new LuminateBadResponseError('Response is an HTML page, not JSON', status, { problem: 'html' });
  if (head.trim() === '') return new LuminateBadResponseError('Response body is empty', status, { problem: 'empty_body' });
  return new LuminateBadResponseError('Response is not valid JSON', status, { problem: 'not_json' });
}

/** Gateway failures a second attempt may not meet; a plain 500 is Luminate's own fault and not retried. */
const TRANSIENT_STATUS = new Set([502, 503, 504]);

/** An HTTP status that is not Luminate's 200, or its 403 with an `errorResponse`. */
export function httpFailure(status: number, location?: string): LuminateError {
  // 5xx and 429 are Luminate (or a proxy in front of it) having a bad moment.
  if (status >= 500 || status === 429) return new LuminateUnavailableError(`Luminate answered HTTP ${status}`, status, { transient: TRANSIENT_STATUS.has(status) });
  if (status >= 300 && status < 400) {
    // Not followed: it is a POST carrying credentials. Where it pointed tells secure2 from secure3 from a custom domain.
    const host = locationHost(location);
    return new LuminateBadResponseError(`Luminate answered HTTP ${status}${host ? ` redirecting to ${host}` : ''}`, status, {
      problem: 'redirect',
      ...(host ? { locationHost: host } : {}),
    });
  }
  // Luminate's own 403 carries an errorResponse; any other 403 is a firewall or proxy in front of it.
  if (status === 403) return blocked(status, 'no errorResponse');
  // 404, 405: the request went somewhere that is not SRConsAPI.
  return new LuminateBadResponseError(`Luminate answered HTTP ${status}`, status, { problem: 'http_status' });
}

export function blocked(status: number, what: string): LuminateBadResponseError {
  return new LuminateBadResponseError(`Luminate answered HTTP ${status} with ${what} (a firewall, or the API IP allow-list?)`, status, { problem: 'blocked' });
}

function locationHost(location: string | undefined): string | undefined {
  if (!location) return undefined;
  try {
    return new URL(location.slice(0, 2000), 'http://unknown.invalid').host.slice(0, 253) || undefined;
  } catch {
    return undefined;
  }
}

/** `<errorResponse …><code>…</code><message>…</message>`; `code` is '' when absent. */
function xmlErrorResponse(head: string): { code: string; message: string } | undefined {
  let at = head.indexOf('<errorResponse');
  // `<errorResponse>` or `<errorResponse xmlns=…>`, not `<errorResponseFoo>`.
  while (at !== -1 && !/[\s>/]/.test(head.charAt(at + '<errorResponse'.length))) at = head.indexOf('<errorResponse', at + 1);
  if (at === -1) return undefined;
  const code = element(head, 'code', at) ?? '';
  return { code: /^[\w-]{1,20}$/.test(code) ? code : '', message: element(head, 'message', at) ?? '' };
}

function element(text: string, name: string, from: number): string | undefined {
  const open = text.indexOf(`<${name}>`, from);
  if (open === -1) return undefined;
  const start = open + name.length + 2;
  const end = text.indexOf(`</${name}>`, start);
  return end === -1 ? undefined : decodeXmlText(text.slice(start, end));
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/** XML's five named entities and numeric ones (`&#233;`, `&#xE9;`), in one linear pass. */
function decodeXmlText(text: string): string {
  return text
    .replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(lt|gt|quot|apos|amp));/g, (whole, dec?: string, hex?: string, named?: string) => {
      if (named) return NAMED[named]!;
      const point = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
      return point > 0 && point <= 0x10ffff && (point < 0xd800 || point > 0xdfff) ? String.fromCodePoint(point) : whole;
    })
    .trim();
}

/** Largest body read before the answer is judged not to be a response of the method called. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The body as text, up to {@link MAX_BODY_BYTES}. */
export async function readCapped(body: Dispatcher.ResponseData['body'], status: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      // Anything but a 200 is judged by its status and the start of its body (an errorResponse comes first),
      // so a large 5xx page is still "unavailable", retried and counted by the breaker, not a bad answer.
      if (status !== 200) break;
      throw new LuminateBadResponseError(`Response body larger than ${MAX_BODY_BYTES} bytes`, status, { problem: 'too_large' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
