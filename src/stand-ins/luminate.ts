import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SAMPLE_CONSTITUENTS, type SampleConstituent, type WireInteraction } from './sample-data.js';

/**
 * A stand-in for Luminate Online's `SRConsAPI` on loopback, speaking the
 * documented wire format (`docs/luminate-api.md`): POST form bodies,
 * credentials checked on every call, JSON or XML answers, `errorResponse`
 * codes with status 403 (200 under `suppress_response_codes`). Faults let
 * tests and the demo give the bot a bad day.
 */

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
  | { kind: 'delay'; ms: number };

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
}

const MESSAGES: Record<string, string> = {
  '2': 'Incorrect API key.',
  '3': 'Login failed: the user name or password is incorrect.',
  '4': 'Request not allowed from source IP address.',
  '6': 'No method specified.',
  '8': 'The request matches more than one record.',
  '10': 'Required parameter missing.',
  '16': 'Cannot access the user because no records match the search criteria.',
  '17': 'Method does not exist.',
  '27': 'Invalid interaction.',
};

export class StandInLuminate {
  /** Every request in arrival order. */
  readonly requests: SeenRequest[] = [];
  /** Applies to every request until cleared. */
  fault: LuminateFault | null = null;
  /** Applied one per request, before `fault`: a Luminate that fails, then recovers. */
  readonly nextFaults: (LuminateFault | null)[] = [];
  /** Decides a fault per request when set (the soak test's random bad days); overrides the two above. */
  faultFor: ((requestNumber: number) => LuminateFault | null) | null = null;
  latencyMs: number;
  /** Requests being worked on right now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** TCP connections opened to the stand-in: shows whether the client reuses them. */
  connectionsOpened = 0;

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #options: Required<Omit<StandInLuminateOptions, 'latencyMs'>>;

  private constructor(server: Server, options: StandInLuminateOptions) {
    this.#server = server;
    this.#options = { sitePath: '/yourorg/site', constituents: SAMPLE_CONSTITUENTS, anyInteractionId: false, ...options };
    this.latencyMs = options.latencyMs ?? 0;
  }

  static async start(options: StandInLuminateOptions): Promise<StandInLuminate> {
    let standIn!: StandInLuminate;
    const server = createServer((req, res) => void standIn.#handle(req, res));
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

  /** Requests that reached `getInteraction` with good credentials. */
  get lookupCount(): number {
    return this.requests.filter((r) => r.apiMethod === 'getInteraction').length;
  }

  reset(): void {
    this.requests.length = 0;
    this.fault = null;
    this.nextFaults.length = 0;
    this.faultFor = null;
    this.inFlight = 0;
    this.maxInFlight = 0;
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
      const params = new URLSearchParams(raw);
      const seen: SeenRequest = {
        httpMethod: req.method ?? '',
        path: url.pathname,
        contentType: req.headers['content-type'],
        bodyParams: [...new Set(params.keys())],
        queryParams: [...new Set(url.searchParams.keys())],
        apiMethod: params.get('method'),
        interactionId: params.get('interaction_id'),
        consId: params.get('cons_id'),
        memberId: params.get('member_id'),
        primaryEmail: params.get('primary_email'),
        responseFormat: params.get('response_format'),
        credentialsAccepted: false,
      };
      this.requests.push(seen);
      if (this.latencyMs > 0) await sleep(this.latencyMs);
      if (await this.#injectFault(req, res, params)) return;

      if (url.pathname !== `${this.#options.sitePath}/SRConsAPI`) {
        return send(res, 404, 'text/html', '<html><body><h1>404 Not Found</h1></body></html>');
      }
      if (req.method !== 'POST') return send(res, 405, 'text/html', '<html><body>Method Not Allowed</body></html>');

      if (params.get('api_key') !== this.#options.apiKey) return this.#error(res, params, '2');
      if (params.get('login_name') !== this.#options.loginName || params.get('login_password') !== this.#options.loginPassword) {
        return this.#error(res, params, '3');
      }
      seen.credentialsAccepted = true;
      const method = params.get('method');
      if (!method) return this.#error(res, params, '6');
      if (method !== 'getInteraction') return this.#error(res, params, '17');
      return this.#getInteraction(res, params);
    } finally {
      this.inFlight -= 1;
    }
  }

  #getInteraction(res: ServerResponse, params: URLSearchParams): void {
    const interactionId = params.get('interaction_id');
    const consId = params.get('cons_id');
    const memberId = params.get('member_id');
    const email = params.get('primary_email');
    if (!interactionId || !/^\d+$/.test(interactionId) || (!consId && !memberId && !email)) return this.#error(res, params, '10');

    // Documented precedence: cons_id, then member_id, then primary_email.
    const all = this.#options.constituents;
    const matches = consId
      ? all.filter((c) => c.consId === consId)
      : memberId
        ? all.filter((c) => c.memberId === memberId)
        : all.filter((c) => c.primaryEmail.toLowerCase() === email!.toLowerCase());
    if (matches.length > 1) return this.#error(res, params, '8');
    const constituent = matches[0];
    if (!constituent) return this.#error(res, params, '16');
    const id = String(Number(interactionId));
    const found = constituent.interactions.find((i) => i.interactionId === id);
    const first = constituent.interactions[0];
    const interaction = found ?? (this.#options.anyInteractionId && first ? { ...first, interactionId: id } : undefined);
    if (!interaction) return this.#error(res, params, '27');

    const body = { getInteractionResponse: { interaction } };
    if (params.get('response_format') === 'json') return send(res, 200, 'application/json;charset=UTF-8', JSON.stringify(body));
    return send(res, 200, 'text/xml;charset=UTF-8', toXml('getInteractionResponse', { interaction }));
  }

  #error(res: ServerResponse, params: URLSearchParams, code: string, message = MESSAGES[code] ?? 'Unable to process request.'): void {
    const status = params.get('suppress_response_codes') === 'true' ? 200 : 403;
    const errorResponse = { code, message };
    if (params.get('response_format') === 'json') return send(res, status, 'application/json;charset=UTF-8', JSON.stringify({ errorResponse }));
    return send(res, status, 'text/xml;charset=UTF-8', toXml('errorResponse', errorResponse));
  }

  /** Returns true when a fault answered (or deliberately did not answer) the request. */
  async #injectFault(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<boolean> {
    const fault = this.faultFor ? this.faultFor(this.requests.length) : this.nextFaults.length > 0 ? this.nextFaults.shift()! : this.fault;
    if (!fault) return false;
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
    }
  }
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

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Luminate's XML: a namespaced root, one element per field, in the order given. */
function toXml(root: string, value: Record<string, unknown>): string {
  const element = (name: string, v: unknown): string =>
    typeof v === 'object' && v !== null
      ? `<${name}>\n${Object.entries(v as WireInteraction).map(([k, child]) => element(k, child)).join('')}</${name}>\n`
      : `<${name}>${escapeXml(String(v))}</${name}>\n`;
  const inner = Object.entries(value).map(([k, v]) => element(k, v)).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://convio.com/crm/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n${inner}</${root}>\n`;
}
