import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SAMPLE_CONSTITUENTS, type SampleConstituent, type WireInteraction } from './sample-data.js';
import { consRecord, listInteractions } from './luminate-donors.js';
import { checkLogRequest, loggedAnswer, loggedInteraction, type LogAnswer } from './luminate-log.js';

/**
 * A stand-in for Luminate Online's `SRConsAPI` on loopback, speaking the
 * documented wire format (`docs/luminate-api.md`): POST form bodies,
 * credentials checked on every call, JSON or XML answers, `errorResponse`
 * codes with status 403 (200 under `suppress_response_codes`). Faults let
 * tests and the demo give the bot a bad day.
 *
 * Strict where Luminate is documented:
 * - POST only; any other HTTP method gets 405.
 * - Parameters are read the way a servlet reads them: from the query string,
 *   and from the body only when it is `application/x-www-form-urlencoded`.
 *   A body of any other type is not read at all, so the call arrives without
 *   its credentials and gets what that gets (code 2, in XML: `response_format`
 *   was in the unread body too). What Luminate does here is not documented;
 *   this is what its servlet container does with such a body.
 * - `v=1.0` is required. Luminate's answer to a missing or other `v` is not
 *   documented: missing gets code 10 (required parameter missing), any value
 *   but `1.0` code 1 (unable to process), each with status 403.
 * - Method names are case-sensitive (`getinteraction` gets code 17). It answers
 *   `getInteraction`, `getUser` and `getUserInteractions` (see `luminate-donors.ts`),
 *   each with the same identifier precedence and error codes, and records
 *   `logInteraction` (see `luminate-log.ts`): what is logged is served by the reads
 *   afterwards, answered as {@link StandInLuminate.logAnswer} says.
 * - `response_format=json` gives JSON; anything else, or none, XML (the default).
 *
 * Switchable where Luminate's behaviour is not confirmed, so tests can run both ways:
 * - `emailMatch`: whether `primary_email` matches case-insensitively (default) or exactly.
 * - `enforceOwnership`: whether an interaction must belong to the donor named (default)
 *   or is found by its id whoever the donor is, once the donor exists.
 *
 * Quirks Luminate is documented (or known) to produce, on demand, as faults:
 * answer quirks (`absent_fields`, `null_fields`, `null_strings`, `one_item_list`,
 * `bom`) change the real answer after the request was checked and the record
 * found; the others (`empty_answer`, `redirect`, `firewall`, `xml_error_entities`,
 * `echoing_error`) replace it. See {@link LuminateFault}.
 */

/** Fields a quirk leaves out or empties when the test names none: what a card shows. */
const SHOWN_FIELDS = ['subject', 'creationDate', 'createdBy', 'interactionTypeId', 'note'];

export type LuminateFault =
  | { kind: 'error'; code: string; message?: string }
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'html' }
  | { kind: 'malformed' }
  | { kind: 'wrong_shape' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'reset_mid_body' }
  /** Answers normally, late: a slow tail. */
  | { kind: 'delay'; ms: number }
  /** The real answer without these fields of `interaction` (a field hidden from the caller or disabled for the site). */
  | { kind: 'absent_fields'; fields?: string[] }
  /** The real answer with these fields `null` (XML `xsi:nil="true"`): visible but empty. */
  | { kind: 'null_fields'; fields?: string[] }
  /** The real answer with these fields the four-letter string "null", as some Luminate records hold. */
  | { kind: 'null_strings'; fields?: string[] }
  /**
   * The real answer with `interaction` (and its `note`) as a one-item array, or as a bare
   * object (Luminate's usual serialisation of a one-item list, the default answer).
   */
  | { kind: 'one_item_list'; as: 'array' | 'object' }
  /** The real answer (or errorResponse) after a UTF-8 byte-order mark. */
  | { kind: 'bom' }
  /**
   * A status 200 answer (the method's root: `getInteractionResponse`, `getConsResponse`, `getUserInteractionsResponse`) holding nothing:
   * `missing` `{"getInteractionResponse":{}}`, `null` `{"interaction":null}`, `empty_list` `{"interaction":[]}`,
   * `empty_response` `{"getInteractionResponse":""}` (an empty element turned into JSON), `empty_object` `{}`.
   */
  | { kind: 'empty_answer'; shape: 'missing' | 'null' | 'empty_list' | 'empty_response' | 'empty_object' }
  /** A 3xx with a `Location`, as a site moved between secure2, secure3 or its own domain answers. Default 302 to secure3. */
  | { kind: 'redirect'; status?: 301 | 302 | 303 | 307 | 308; location?: string }
  /** A firewall's or CDN's 403 HTML page in front of Luminate ("Access Denied"), not Luminate's own errorResponse. */
  | { kind: 'firewall' }
  /** An XML errorResponse (403) whose message uses numeric character references (`&#233;`, `&#39;`), whatever `response_format` asked. */
  | { kind: 'xml_error_entities'; code?: string; message?: string }
  /** An errorResponse (code 1 by default) whose message echoes the request: API key, login, password and email included. */
  | { kind: 'echoing_error'; code?: string };

/** Default text of `xml_error_entities`: non-ASCII and an apostrophe, each a numeric reference on the wire. */
export const ENTITY_ERROR_MESSAGE = "Aucun enregistrement ne correspond à l'adresse « é »";

/** What the stand-in saw of one request. Credentials are checked, never kept. */
export interface SeenRequest {
  httpMethod: string;
  path: string;
  contentType: string | undefined;
  /** Every parameter name sent, in the body or the query string. */
  bodyParams: string[];
  queryParams: string[];
  apiMethod: string | null;
  interactionId: string | null;
  consId: string | null;
  memberId: string | null;
  primaryEmail: string | null;
  responseFormat: string | null;
  credentialsAccepted: boolean;
  /** Every parameter but the credentials, as the stand-in read them (paging, filters, `fields`…). */
  methodParams: Record<string, string>;
}

export interface StandInLuminateOptions {
  apiKey: string;
  loginName: string;
  loginPassword: string;
  /** The site path, as in `https://secure2.convio.net/<org>/site`. */
  sitePath?: string;
  /** Delay before every answer. */
  latencyMs?: number;
  constituents?: readonly SampleConstituent[];
  /** Answer any interaction id of a known constituent with a copy of its first interaction (benchmarks need many distinct keys). */
  anyInteractionId?: boolean;
  /** How `primary_email` is matched (unconfirmed for Luminate); default case-insensitive. */
  emailMatch?: EmailMatch;
  /** Whether an interaction must belong to the donor named (unconfirmed for Luminate); default true. */
  enforceOwnership?: boolean;
  /** API methods that `fault`, `nextFaults` and `faultFor` leave alone; they still get `methodFaults`. */
  sparedByFaults?: readonly string[];
  /** The site's custom interaction type ids, which `logInteraction` accepts besides 0; default those the sample uses. */
  interactionTypes?: readonly string[];
  /** The service account's own constituent id: the creator of what it logs. */
  serviceAccountConsId?: string;
}

export type EmailMatch = 'case-insensitive' | 'exact';

const MESSAGES: Record<string, string> = {
  '2': 'Incorrect API key.',
  '3': 'Login failed: the user name or password is incorrect.',
  '4': 'Request not allowed from source IP address.',
  '6': 'No method specified.',
  '8': 'The request matches more than one record.',
  '10': 'Required parameter missing.',
  '16': 'Cannot access the user because no records match the search criteria.',
  '17': 'Method does not exist.',
  '26': 'Invalid interaction type.',
  '27': 'Invalid interaction.',
};

export class StandInLuminate {
  /** Every request in arrival order. */
  readonly requests: SeenRequest[] = [];
  /** Applies to every request until cleared. */
  fault: LuminateFault | null = null;
  /** Applied one per request, before `fault`: a Luminate that fails, then recovers. */
  readonly nextFaults: (LuminateFault | null)[] = [];
  /** Decides a fault per request when set (the soak test's random bad days, one API method failing); overrides the two above. */
  faultFor: ((requestNumber: number, request: SeenRequest) => LuminateFault | null) | null = null;
  /** A fault for every request to one API method, before all of the above: one method's bad day. */
  methodFaults: Partial<Record<string, LuminateFault>> = {};
  latencyMs: number;
  /** See {@link StandInLuminateOptions}; may be changed between requests. */
  anyInteractionId: boolean;
  emailMatch: EmailMatch;
  enforceOwnership: boolean;
  /** Requests being worked on right now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** TCP connections opened to the stand-in: shows whether the client reuses them. */
  connectionsOpened = 0;
  /** How an accepted `logInteraction` is answered, after it was recorded. */
  logAnswer: LogAnswer = { kind: 'logged' };
  /** Every interaction `logInteraction` recorded, oldest first. */
  readonly logged: WireInteraction[] = [];
  #nextInteractionId: number | undefined;

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #options: Required<Omit<StandInLuminateOptions, 'latencyMs' | 'anyInteractionId' | 'emailMatch' | 'enforceOwnership'>>;
  /** Recorded interactions by constituent id; the sample records themselves are shared and never changed. */
  readonly #loggedFor = new Map<string, WireInteraction[]>();

  private constructor(server: Server, options: StandInLuminateOptions) {
    this.#server = server;
    this.#options = { sitePath: '/yourorg/site', constituents: SAMPLE_CONSTITUENTS, sparedByFaults: [], interactionTypes: ['1', '2', '3'], serviceAccountConsId: '1000002', ...options };
    this.latencyMs = options.latencyMs ?? 0;
    this.anyInteractionId = options.anyInteractionId ?? false;
    this.emailMatch = options.emailMatch ?? 'case-insensitive';
    this.enforceOwnership = options.enforceOwnership ?? true;
  }

  static async start(options: StandInLuminateOptions): Promise<StandInLuminate> {
    let standIn!: StandInLuminate;
    // Idle keep-alive connections are held as a production API's front end holds them (AWS ALB: 60 s by
    // default), not for Node's 5 s. The hint goes out in each answer's Keep-Alive header, and the bot's
    // pool retires an idle socket before it (less undici's 2 s margin), as it would Luminate's own hint.
    const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => void standIn.#handle(req, res));
    standIn = new StandInLuminate(server, options);
    server.on('connection', (socket) => {
      standIn.connectionsOpened += 1;
      standIn.#sockets.add(socket);
      socket.on('close', () => standIn.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** The site base to give the bot as `LUMINATE_URL`. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${this.#options.sitePath}`;
  }

  /** Requests for this API method (with or without good credentials). */
  callCount(apiMethod: string): number {
    return this.requests.filter((r) => r.apiMethod === apiMethod).length;
  }

  /** Requests for `getInteraction`, with or without good credentials: the lookups that reached Luminate. */
  get lookupCount(): number {
    return this.callCount('getInteraction');
  }

  /** Requests for `logInteraction` that reached the stand-in, recorded or not: a write sent twice shows here. */
  get logCount(): number {
    return this.callCount('logInteraction');
  }

  reset(): void {
    this.requests.length = 0;
    this.fault = null;
    this.nextFaults.length = 0;
    this.faultFor = null;
    this.methodFaults = {};
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.logAnswer = { kind: 'logged' };
    this.logged.length = 0;
    this.#loggedFor.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const contentType = req.headers['content-type'];
      const body = new URLSearchParams(isFormBody(contentType) ? raw : '');
      // A servlet's getParameter: the query string's value first, then the form body's.
      const params = new URLSearchParams([...url.searchParams, ...[...body].filter(([k]) => !url.searchParams.has(k))]);
      const seen: SeenRequest = {
        httpMethod: req.method ?? '',
        path: url.pathname,
        contentType,
        bodyParams: [...new Set(new URLSearchParams(raw).keys())],
        queryParams: [...new Set(url.searchParams.keys())],
        apiMethod: params.get('method'),
        interactionId: params.get('interaction_id'),
        consId: params.get('cons_id'),
        memberId: params.get('member_id'),
        primaryEmail: params.get('primary_email'),
        responseFormat: params.get('response_format'),
        credentialsAccepted: false,
        methodParams: Object.fromEntries([...params].filter(([k]) => !CREDENTIALS.has(k))),
      };
      this.requests.push(seen);
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      const faulty = seen.apiMethod ?? '';
      const spared = this.#options.sparedByFaults.includes(faulty);
      const fault = (Object.hasOwn(this.methodFaults, faulty) ? this.methodFaults[faulty] : undefined) ?? (spared ? null : this.#nextFault(seen));
      if (fault && (await this.#injectFault(fault, req, res, params))) return;
      const quirk = fault && isAnswerQuirk(fault) ? fault : null;

      if (url.pathname !== `${this.#options.sitePath}/SRConsAPI`) {
        return send(res, 404, 'text/html', '<html><body><h1>404 Not Found</h1></body></html>');
      }
      if (req.method !== 'POST') return send(res, 405, 'text/html', '<html><body>Method Not Allowed</body></html>');

      if (params.get('api_key') !== this.#options.apiKey) return this.#error(res, params, '2', undefined, quirk);
      if (params.get('login_name') !== this.#options.loginName || params.get('login_password') !== this.#options.loginPassword) {
        return this.#error(res, params, '3', undefined, quirk);
      }
      seen.credentialsAccepted = true;
      const version = params.get('v');
      if (version === null || version === '') return this.#error(res, params, '10', 'Required parameter missing: v.', quirk);
      if (version !== '1.0') return this.#error(res, params, '1', 'Unable to process request: unsupported API version.', quirk);
      const method = params.get('method');
      if (!method) return this.#error(res, params, '6', undefined, quirk);
      if (method === 'getInteraction') return this.#getInteraction(res, params, quirk);
      if (method !== 'getUser' && method !== 'getUserInteractions' && method !== 'logInteraction') return this.#error(res, params, '17', undefined, quirk);
      if (!params.get('cons_id') && !params.get('member_id') && !params.get('primary_email')) return this.#error(res, params, '10', undefined, quirk);
      const constituent = this.#constituent(res, params, quirk);
      if (!constituent) return;
      if (method === 'getUser') return this.#answer(res, params, 'getConsResponse', consRecord(constituent, params.get('fields'), quirk), quirk);
      if (method === 'logInteraction') return await this.#logInteraction(req, res, params, constituent, quirk);
      return this.#getUserInteractions(res, params, constituent, quirk);
    } finally {
      this.inFlight -= 1;
    }
  }

  #getInteraction(res: ServerResponse, params: URLSearchParams, quirk: AnswerQuirk | null): void {
    const interactionId = params.get('interaction_id');
    const consId = params.get('cons_id');
    const memberId = params.get('member_id');
    const email = params.get('primary_email');
    if (!interactionId || !/^\d+$/.test(interactionId) || (!consId && !memberId && !email)) return this.#error(res, params, '10', undefined, quirk);
    const constituent = this.#constituent(res, params, quirk);
    if (!constituent) return;
    const all = this.#loggedFor.size === 0 ? this.#options.constituents : this.#options.constituents.map((c) => this.#withLogged(c));
    const id = String(Number(interactionId));
    const owners = this.enforceOwnership ? [constituent] : all;
    const found = owners.flatMap((c) => c.interactions).find((i) => i.interactionId === id);
    const first = constituent.interactions[0];
    const interaction = found ?? (this.anyInteractionId && first ? { ...first, interactionId: id } : undefined);
    if (!interaction) return this.#error(res, params, '27', undefined, quirk);

    return this.#answer(res, params, 'getInteractionResponse', { interaction: quirk ? applyQuirk(quirk, interaction) : interaction }, quirk);
  }

  #getUserInteractions(res: ServerResponse, params: URLSearchParams, constituent: SampleConstituent, quirk: AnswerQuirk | null): void {
    const page = listInteractions(constituent, params);
    if ('errorCode' in page) return this.#error(res, params, page.errorCode, page.message, quirk);
    const items = page.items.map((item) => (quirk ? applyQuirk(quirk, item) : item)).map((item) => (Array.isArray(item) ? item[0] : item));
    // Luminate's lists: an array for several, a bare object for one (unless a quirk asks for a one-item array), nothing for none.
    const interaction = items.length === 0 ? undefined : items.length > 1 || quirk?.kind === 'one_item_list' && quirk.as === 'array' ? items : items[0];
    return this.#answer(res, params, 'getUserInteractionsResponse', interaction === undefined ? {} : { interaction }, quirk);
  }

  /** The one constituent the identifier names, by the documented precedence; otherwise answers code 8 or 16 and returns undefined. */
  #constituent(res: ServerResponse, params: URLSearchParams, quirk: AnswerQuirk | null): SampleConstituent | undefined {
    const consId = params.get('cons_id');
    const memberId = params.get('member_id');
    const email = params.get('primary_email') ?? '';
    // Documented precedence: cons_id, then member_id, then primary_email.
    const all = this.#options.constituents;
    const sameEmail = this.emailMatch === 'exact' ? (a: string) => a === email : (a: string) => a.toLowerCase() === email.toLowerCase();
    const matches = consId
      ? all.filter((c) => c.consId === consId)
      : memberId
        ? all.filter((c) => c.memberId === memberId)
        : all.filter((c) => sameEmail(c.primaryEmail));
    if (matches.length > 1) this.#error(res, params, '8', undefined, quirk);
    else if (!matches[0]) this.#error(res, params, '16', undefined, quirk);
    return matches.length === 1 ? this.#withLogged(matches[0]!) : undefined;
  }

  /** The constituent with what was logged for them added, as the reads serve it. */
  #withLogged(constituent: SampleConstituent): SampleConstituent {
    const logged = this.#loggedFor.get(constituent.consId);
    return logged ? { ...constituent, interactions: [...constituent.interactions, ...logged] } : constituent;
  }

  /** Checks the request, records the interaction, then answers as {@link logAnswer} says. */
  async #logInteraction(req: IncomingMessage, res: ServerResponse, params: URLSearchParams, constituent: SampleConstituent, quirk: AnswerQuirk | null): Promise<void> {
    const request = checkLogRequest(params, this.#options.interactionTypes);
    if ('errorCode' in request) return this.#error(res, params, request.errorCode, request.message, quirk);
    // A loop, not Math.max(...ids): a benchmark's constituents hold more ids than a call takes arguments.
    this.#nextInteractionId ??= 1 + this.#options.constituents.reduce((most, c) => c.interactions.reduce((m, i) => Math.max(m, Number(i.interactionId) || 0), most), 0);
    const interactionId = String(this.#nextInteractionId++);
    const recorded = loggedInteraction(request, { interactionId, consId: constituent.consId, createdBy: this.#options.serviceAccountConsId, now: new Date() });
    this.logged.push(recorded);
    this.#loggedFor.set(constituent.consId, [...(this.#loggedFor.get(constituent.consId) ?? []), recorded]);
    const answer = this.logAnswer;
    switch (answer.kind) {
      case 'logged':
        return this.#answer(res, params, 'updateConsResponse', loggedAnswer(answer, constituent.consId), quirk);
      case 'unknown_shape':
        return send(res, 200, 'application/json;charset=UTF-8', JSON.stringify({ logInteractionResponse: { success: 'true' } }));
      case 'hang_after_recording':
        await new Promise<void>((resolve) => req.socket.once('close', resolve));
        return;
      case 'reset_after_recording':
        req.socket.destroy();
        return;
    }
  }

  /** A success answer in the format asked for: JSON, or Luminate's default XML. */
  #answer(res: ServerResponse, params: URLSearchParams, root: string, value: Record<string, unknown>, quirk: AnswerQuirk | null): void {
    const bom = quirk?.kind === 'bom' ? BOM : '';
    if (params.get('response_format') === 'json') return send(res, 200, 'application/json;charset=UTF-8', bom + JSON.stringify({ [root]: value }));
    return send(res, 200, 'text/xml;charset=UTF-8', bom + toXml(root, value));
  }

  #error(res: ServerResponse, params: URLSearchParams, code: string, message = MESSAGES[code] ?? 'Unable to process request.', quirk: AnswerQuirk | null = null): void {
    const status = params.get('suppress_response_codes') === 'true' ? 200 : 403;
    const errorResponse = { code, message };
    const bom = quirk?.kind === 'bom' ? BOM : '';
    if (params.get('response_format') === 'json') return send(res, status, 'application/json;charset=UTF-8', bom + JSON.stringify({ errorResponse }));
    return send(res, status, 'text/xml;charset=UTF-8', bom + toXml('errorResponse', errorResponse));
  }

  #nextFault(seen: SeenRequest): LuminateFault | null {
    return this.faultFor ? this.faultFor(this.requests.length, seen) : this.nextFaults.length > 0 ? this.nextFaults.shift()! : this.fault;
  }

  /** Returns true when a fault answered (or deliberately did not answer) the request; answer quirks never do. */
  async #injectFault(fault: LuminateFault, req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<boolean> {
    switch (fault.kind) {
      case 'error':
        this.#error(res, params, fault.code, fault.message);
        return true;
      case 'status':
        send(res, fault.status, fault.contentType ?? 'text/plain', fault.body ?? `HTTP ${fault.status}`);
        return true;
      case 'html':
        send(res, 200, 'text/html', '<!DOCTYPE html><html><head><title>Scheduled maintenance</title></head><body>Back soon.</body></html>');
        return true;
      case 'malformed':
        send(res, 200, 'application/json', '{"getInteractionResponse":{"interaction":{"interactionId":"10');
        return true;
      case 'wrong_shape':
        send(res, 200, 'application/json', JSON.stringify({ getInteractionResponse: { interaction: { subject: 'no id here' } } }));
        return true;
      case 'hang':
        await new Promise<void>((resolve) => req.socket.once('close', resolve));
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      case 'delay':
        await sleep(fault.ms);
        return false;
      case 'reset_mid_body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 400 });
        res.write('{"getInteractionResponse":{"interaction":{"interactionId":"1000","subj');
        await sleep(20);
        req.socket.destroy();
        return true;
      case 'empty_answer': {
        const root = ROOTS[params.get('method') ?? ''] ?? 'getInteractionResponse';
        const inner = { missing: {}, null: { interaction: null }, empty_list: { interaction: [] }, empty_response: '', empty_object: undefined }[fault.shape];
        const value = inner === undefined ? {} : { [root]: inner };
        if (params.get('response_format') === 'json') send(res, 200, 'application/json;charset=UTF-8', JSON.stringify(value));
        else send(res, 200, 'text/xml;charset=UTF-8', fault.shape === 'empty_object' ? XML_DECLARATION : toXml(root, (inner ?? {}) as Record<string, unknown>));
        return true;
      }
      case 'redirect': {
        const location = fault.location ?? 'https://secure3.convio.net/yourorg/site/SRConsAPI';
        if (!res.destroyed) {
          const page = `<html><body>Moved to <a href="${location}">${location}</a></body></html>`;
          res.writeHead(fault.status ?? 302, { location, 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) });
          res.end(page);
        }
        return true;
      }
      case 'firewall':
        send(res, 403, 'text/html', FIREWALL_PAGE);
        return true;
      case 'xml_error_entities': {
        const status = params.get('suppress_response_codes') === 'true' ? 200 : 403;
        send(res, status, 'text/xml;charset=UTF-8', toXml('errorResponse', { code: fault.code ?? '16', message: fault.message ?? ENTITY_ERROR_MESSAGE }, { numericEntities: true }));
        return true;
      }
      case 'echoing_error': {
        // Only the request's own parameters are echoed: what a real echo could contain.
        const echoed = ['method', 'api_key', 'login_name', 'login_password', 'primary_email', 'cons_id', 'member_id', 'interaction_id']
          .filter((k) => params.has(k))
          .map((k) => `${k}=${params.get(k)}`)
          .join('&');
        this.#error(res, params, fault.code ?? '1', `Unable to process request: ${echoed}`);
        return true;
      }
      case 'absent_fields':
      case 'null_fields':
      case 'null_strings':
      case 'one_item_list':
      case 'bom':
        return false;
    }
  }
}

export type AnswerQuirk = Extract<LuminateFault, { kind: 'absent_fields' | 'null_fields' | 'null_strings' | 'one_item_list' | 'bom' }>;

function isAnswerQuirk(fault: LuminateFault): fault is AnswerQuirk {
  return ['absent_fields', 'null_fields', 'null_strings', 'one_item_list', 'bom'].includes(fault.kind);
}

const BOM = '\uFEFF';
const CREDENTIALS = new Set(['api_key', 'login_name', 'login_password']);
/** Each method's response root. */
const ROOTS: Readonly<Record<string, string>> = {
  getInteraction: 'getInteractionResponse',
  getUser: 'getConsResponse',
  getUserInteractions: 'getUserInteractionsResponse',
  logInteraction: 'updateConsResponse',
};
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Shaped like the block pages CDNs and web application firewalls serve: HTML, status 403, no errorResponse. */
const FIREWALL_PAGE =
  '<!DOCTYPE html><html><head><title>Access Denied</title></head><body><h1>Access Denied</h1>' +
  '<p>You don\'t have permission to access "SRConsAPI" on this server.</p><p>Reference #18.2f5e1cb8.1764400000.1a2b3c4d</p></body></html>';

/** The interaction as the quirk changes it; the stored sample is never touched. */
function applyQuirk(quirk: AnswerQuirk, interaction: WireInteraction): unknown {
  const copy: Record<string, unknown> = { ...interaction };
  switch (quirk.kind) {
    case 'absent_fields':
      for (const field of quirk.fields ?? SHOWN_FIELDS) delete copy[field];
      return copy;
    case 'null_fields':
      for (const field of quirk.fields ?? SHOWN_FIELDS) copy[field] = null;
      return copy;
    case 'null_strings':
      for (const field of quirk.fields ?? SHOWN_FIELDS.filter((f) => f !== 'note')) copy[field] = 'null';
      return copy;
    case 'one_item_list':
      if (quirk.as === 'object') return copy;
      if (copy.note) copy.note = [copy.note];
      return [copy];
    case 'bom':
      return copy;
  }
}

function isFormBody(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function escapeXml(text: string, numericEntities = false): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  // Some Luminate XML spells apostrophes, quotes and every non-ASCII character as numeric references.
  return numericEntities ? escaped.replace(/['"\u0080-\u{10FFFF}]/gu, (c) => `&#${c.codePointAt(0)};`) : escaped;
}

/**
 * Luminate's XML: a namespaced root, one element per field, in the order given;
 * a list as repeated elements, `null` as `xsi:nil="true"`, an absent field not at all.
 */
function toXml(root: string, value: Record<string, unknown>, { numericEntities = false } = {}): string {
  const element = (name: string, v: unknown): string => {
    if (v === undefined) return '';
    if (v === null) return `<${name} xsi:nil="true"/>\n`;
    if (Array.isArray(v)) return v.map((item) => element(name, item)).join('');
    if (typeof v === 'object') return `<${name}>\n${Object.entries(v).map(([k, child]) => element(k, child)).join('')}</${name}>\n`;
    return `<${name}>${escapeXml(String(v), numericEntities)}</${name}>\n`;
  };
  const inner = typeof value === 'object' ? Object.entries(value).map(([k, v]) => element(k, v)).join('') : '';
  return `${XML_DECLARATION}<${root} xmlns="http://convio.com/crm/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n${inner}</${root}>\n`;
}
