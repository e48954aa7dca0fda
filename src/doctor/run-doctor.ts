import { LogLevel, webApi } from '@slack/bolt';
import { ConfigError, parseConfig, type Config } from '../config.js';
import { LuminateClient } from '../luminate/client.js';
import { checkRedis } from './check-redis.js';
import { LuminateApiError, LuminateBadResponseError, LuminateError, LuminateNotVisibleError, LuminateTimeoutError } from '../luminate/errors.js';

/** One line of the doctor's report. `detail` says what was found and, on failure, what to fix. */
export interface Check {
  name: 'config' | 'slack' | 'luminate' | 'redis';
  ok: boolean;
  detail: string;
}

const SKIPPED = (name: Check['name']): Check => ({ name, ok: false, detail: 'not checked: fix the configuration first' });

/**
 * `npm run doctor`: is this deployment able to work? Checks every variable,
 * asks Slack who the token belongs to (`auth.test`), and calls each Luminate
 * method the bot's client reads with, authenticated, on a record that does not exist. Prints
 * what to fix, never a secret.
 */
export async function runDoctor(env: Readonly<Record<string, string | undefined>>): Promise<Check[]> {
  let config: Config;
  try {
    config = parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [...error.problems.map((p) => ({ name: 'config' as const, ok: false, detail: p })), SKIPPED('slack'), SKIPPED('luminate')];
  }
  const mode = config.slack.appToken ? 'Socket Mode' : `HTTP mode on port ${config.port}`;
  const redisUrl = config.redis.url;
  const [slack, luminate, redis] = await Promise.all([
    checkSlack(config),
    checkLuminate(config),
    redisUrl && checkRedis({ url: redisUrl, keyPrefix: config.redis.keyPrefix }).then((check): Check => ({ name: 'redis', ...check })),
  ]);
  // The doctor never writes to a site, so it cannot show that the service account may log: one test log does.
  const logging = config.logging.enabled ? '; Log to Luminate is on: confirm logInteraction with one test log (README → Logging to Luminate)' : '';
  return [{ name: 'config', ok: true, detail: `every variable is valid (${mode})${logging}` }, slack, luminate, ...(redis ? [redis] : [])];
}

async function checkSlack(config: Config): Promise<Check> {
  const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };
  const client = new webApi.WebClient(config.slack.botToken, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: { retries: 0 },
    timeout: 10_000,
    logger: silent,
  });
  try {
    const auth = await client.auth.test();
    return { name: 'slack', ok: true, detail: `SLACK_BOT_TOKEN works: workspace "${auth.team}" (${auth.team_id}), bot user @${auth.user}` };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code) {
      return { name: 'slack', ok: false, detail: `Slack rejected SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions again, or reinstall the app` };
    }
    return { name: 'slack', ok: false, detail: `could not reach Slack's Web API (${config.slack.apiUrl ?? 'https://slack.com/api/'}): check this machine's outbound HTTPS access` };
  }
}

const IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/;

/** Constituent 0: real, authenticated calls that read nothing. */
const NOBODY = { kind: 'cons', consId: '0' } as const;

/**
 * Every read method the bot calls, each with what needs it. Luminate grants API methods one by one
 * (code 14), so an account allowed getInteraction can still be refused the others.
 */
const PROBES: readonly { method: string; neededFor: string; call: (client: LuminateClient) => Promise<unknown> }[] = [
  { method: 'getInteraction', neededFor: 'constituent interactions', call: (c) => c.getInteraction({ interactionId: 0, identifier: NOBODY }) },
  { method: 'getUser', neededFor: "constituent records (the donor's name on a card)", call: (c) => c.getUser(NOBODY) },
  { method: 'getUserInteractions', neededFor: "constituent interactions (a donor's list)", call: (c) => c.getUserInteractions({ identifier: NOBODY, pageSize: 1, offset: 0 }) },
];

async function checkLuminate(config: Config): Promise<Check> {
  const endpoint = `${config.luminate.url}/SRConsAPI`;
  const accepted = { ok: true, detail: `the API key and the service account are accepted at ${endpoint}` };
  const client = new LuminateClient(config.luminate, { maxAttempts: 1 });
  // One attempt each, waiting the whole budget. The first call settles the credentials; the others only what they add.
  const verdict = (probe: (typeof PROBES)[number]) =>
    probe.call(client).then(
      () => accepted,
      (error: unknown) => luminateVerdict(error, endpoint, probe) ?? accepted,
    );
  try {
    const [first, ...others] = PROBES;
    const credentials = await verdict(first!);
    if (credentials !== accepted) return { name: 'luminate', ...credentials };
    const rest = await Promise.all(others.map(verdict));
    return { name: 'luminate', ...(rest.find((v) => v !== accepted) ?? accepted) };
  } finally {
    await client.close();
  }
}

/** What a probe's failure says, or undefined when it shows the call was accepted (Luminate searched for the record). */
function luminateVerdict(error: unknown, endpoint: string, { method, neededFor }: (typeof PROBES)[number]): Omit<Check, 'name'> | undefined {
  if (error instanceof LuminateNotVisibleError) return undefined;
  if (error instanceof LuminateApiError) {
    switch (error.reason) {
      case 'not_found':
      case 'no_constituent':
      case 'ambiguous':
        return undefined;
      case 'cannot_process':
        // Code 1 also answers some bad input before any check of the caller is known to have run.
        return {
          ok: true,
          detail: `SRConsAPI answers at ${endpoint}, but with code 1 (unable to process the request), so the API key and the service account are not confirmed: try a lookup, and if it fails see Luminate's API call log (Setup → Open API Configuration)`,
        };
      case 'bad_api_key':
        return { ok: false, detail: 'Luminate rejected LUMINATE_API_KEY (code 2): copy the key from Setup → Open API Configuration' };
      case 'login_rejected':
        return {
          ok: false,
          detail:
            'Luminate rejected the service account (code 3): check LUMINATE_LOGIN_NAME and LUMINATE_LOGIN_PASSWORD (has the password expired?), that the account is in the API Administrator group, and that this machine is on the API IP allow-list',
        };
      case 'ip_not_allowed': {
        const ip = IPV4.exec(error.luminateMessage)?.[1];
        return {
          ok: false,
          detail: `this machine's IP address is not on Luminate's API allow-list (code 4): add ${ip ? `${ip}/32` : "this server's public egress IP (CIDR, e.g. 203.0.113.7/32)"} under Setup → Open API Configuration`,
        };
      }
      case 'not_permitted':
        return { ok: false, detail: `the service account may not call ${method} (code 14): give its admin group the API permission for ${neededFor}` };
      default:
        return { ok: false, detail: `Luminate refused the call (code ${error.code}): check that LUMINATE_URL is the site base ending in /site` };
    }
  }
  if (error instanceof LuminateBadResponseError && error.problem === 'redirect') {
    return {
      ok: false,
      detail: `${endpoint} answered HTTP ${error.status}, redirecting${error.locationHost ? ` to ${error.locationHost}` : ''}: set LUMINATE_URL to the site's own address (secure2, secure3 or a custom domain, ending in /site)`,
    };
  }
  if (error instanceof LuminateBadResponseError && error.problem === 'blocked') {
    return {
      ok: false,
      detail: `${endpoint} answered HTTP ${error.status} without Luminate's errorResponse: a firewall or proxy refused this machine; check that its public IP is on the API IP allow-list (Setup → Open API Configuration)`,
    };
  }
  if (error instanceof LuminateBadResponseError) {
    return { ok: false, detail: `${endpoint} is not Luminate's SRConsAPI (${error.message}): LUMINATE_URL should be the site base, e.g. https://secure2.convio.net/yourorg/site` };
  }
  if (error instanceof LuminateTimeoutError) {
    return { ok: false, detail: `${endpoint} did not answer within ${error.timeoutMs} ms: check the host in LUMINATE_URL and this machine's outbound HTTPS access` };
  }
  if (error instanceof LuminateError) {
    return { ok: false, detail: `could not reach ${endpoint} (${error.message}): check the host in LUMINATE_URL and this machine's outbound HTTPS access` };
  }
  return { ok: false, detail: 'the check failed unexpectedly' };
}

/** One line per check, as a person reads them in a terminal. */
export function formatReport(checks: readonly Check[]): string {
  const lines = checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name.padEnd(8)} ${c.detail}`);
  if (checks.some((c) => c.name === 'config' && !c.ok)) lines.push('.env.example explains every variable.');
  return lines.join('\n');
}
