import { hostname } from 'node:os';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevelName } from './observability/logger.js';
import { adminUrlTemplate, baseUrl, encryptionKey, flag, idList, integer, peopleList, redisUrl, required, typeNames, USER_ID, USERGROUP_ID } from './config-fields.js';
import type { LuminateClientOptions } from './luminate/client.js';

/** Everything the bot reads from its environment, parsed once at start-up. */
export interface Config {
  slack: {
    botToken: string;
    /** Absent only in Socket Mode, where Slack does not sign requests. */
    signingSecret: string | undefined;
    /** Present means Socket Mode. */
    appToken: string | undefined;
    /** Web API base URL with a trailing slash, or undefined for Slack's own. */
    apiUrl: string | undefined;
  };
  port: number;
  /** Interface to listen on (`HOST`); undefined: all interfaces. */
  host: string | undefined;
  /** Who may look up interactions. All empty: everyone in the workspace. */
  access: {
    users: ReadonlySet<string>;
    usergroups: ReadonlySet<string>;
    channels: ReadonlySet<string>;
    /** A user (`U…`), user group (`S…`) or plain words naming who grants access; shown to people refused. */
    contact: string | undefined;
    /** Lookups one person may make in a rolling minute. */
    lookupsPerMinute: number;
  };
  /** The client's own options (`url` without a trailing slash), plus what the card needs. */
  luminate: LuminateClientOptions & {
    /** Readable names for interaction type ids; Luminate's API has no method that lists them. */
    interactionTypeNames: ReadonlyMap<string, string>;
    /** Link to a constituent's record in the admin site, with `{consId}` where the id goes. */
    adminUrlTemplate: string;
  };
  cache: {
    ttlSeconds: number;
    maxEntries: number;
  };
  /** Logging a conversation to Luminate: the bot's one write, off unless an admin turns it on. */
  logging: {
    enabled: boolean;
    /** Who may log, on top of `access` (which applies too). Both empty: everyone who may look up. */
    users: ReadonlySet<string>;
    usergroups: ReadonlySet<string>;
  };
  logLevel: LogLevelName;
  /** Shared state for several replicas; absent `url` means each process keeps its own, in memory. */
  redis: {
    /** `redis://` or `rediss://`, password and database index inside. A secret: never logged. */
    url: string | undefined;
    keyPrefix: string;
    /** 32 bytes: encrypts cached values (AES-256-GCM) and keys the hash that names them. */
    cacheEncryptionKey: Buffer | undefined;
  };
  /** Names this process in every log and audit line, so an operator can tell replicas apart. */
  replicaId: string;
}

/** Thrown when the environment does not describe a runnable bot; lists every problem, never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Every variable the bot reads, in one place: a new one goes here, into {@link Config} and into parseConfig. */
const envSchema = z.object({
  SLACK_BOT_TOKEN: required('the bot token from OAuth & Permissions').regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: baseUrl('Slack Web API base').optional(),
  PORT: integer(3000, 0, 65535),
  // An address or a host name; no scheme, port or path (those would make listen() fail obscurely).
  HOST: z.string().regex(/^[\w.:-]{1,253}$/, 'must be an address or host name to listen on, e.g. 127.0.0.1 or ::').optional(),
  SLACK_ALLOWED_USERS: idList(USER_ID, 'U012ABCDEF'),
  SLACK_ALLOWED_USERGROUPS: idList(USERGROUP_ID, 'S012ABCDEF'),
  SLACK_ALLOWED_CHANNELS: idList(/^[CGD][A-Z0-9]{2,}$/, 'C012ABCDEF'),
  SLACK_ACCESS_CONTACT: z.string().max(200, 'must be at most 200 characters').optional(),
  LUMINATE_URL: baseUrl('the site base, e.g. https://secure2.convio.net/yourorg/site'),
  LUMINATE_API_KEY: required('the Luminate Online API key'),
  LUMINATE_LOGIN_NAME: required('the API administrator service account'),
  LUMINATE_LOGIN_PASSWORD: required("the service account's password"),
  LUMINATE_TIMEOUT_MS: integer(10_000, 100, 120_000),
  LUMINATE_MAX_CONNECTIONS: integer(10, 1, 256),
  LUMINATE_INTERACTION_TYPES: typeNames,
  LUMINATE_ADMIN_URL_TEMPLATE: adminUrlTemplate.optional(),
  LOOKUP_RATE_PER_MINUTE: integer(30, 1, 100_000),
  CACHE_TTL_SECONDS: integer(300, 0, 86_400),
  CACHE_MAX_ENTRIES: integer(5000, 1, 10_000_000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LUMINATE_LOGGING_ENABLED: flag(false),
  SLACK_ALLOWED_LOGGERS: peopleList,
  REDIS_URL: redisUrl.optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w.:/-]{1,64}$/, 'must be 1 to 64 letters, digits or . : / _ -, e.g. luminate-bot:').default('luminate-bot:'),
  CACHE_ENCRYPTION_KEY: encryptionKey.optional(),
  REPLICA_ID: z.string().regex(/^[\w.:-]{1,100}$/, 'must be 1 to 100 letters, digits or . : _ -, e.g. the pod name').optional(),
});

/** Every variable the bot reads (`.env.example` explains each). */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/**
 * Parses the environment into a {@link Config}. Empty values count as unset,
 * so a copied `.env.example` with blanks behaves like a missing variable.
 * @throws {ConfigError} naming every variable that is missing or malformed.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const result = envSchema.safeParse(present);
  const problems = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  // Checked here rather than in a zod refinement, which would be skipped whenever another variable is wrong.
  if (!present.SLACK_APP_TOKEN && !present.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information → Signing Secret); set SLACK_APP_TOKEN instead for Socket Mode');
  }
  if (!result.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const e = result.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL === undefined ? undefined : `${e.SLACK_API_URL}/`,
    },
    port: e.PORT,
    host: e.HOST,
    access: {
      users: e.SLACK_ALLOWED_USERS,
      usergroups: e.SLACK_ALLOWED_USERGROUPS,
      channels: e.SLACK_ALLOWED_CHANNELS,
      contact: e.SLACK_ACCESS_CONTACT?.trim(),
      lookupsPerMinute: e.LOOKUP_RATE_PER_MINUTE,
    },
    luminate: {
      url: e.LUMINATE_URL,
      apiKey: e.LUMINATE_API_KEY,
      loginName: e.LUMINATE_LOGIN_NAME,
      loginPassword: e.LUMINATE_LOGIN_PASSWORD,
      timeoutMs: e.LUMINATE_TIMEOUT_MS,
      maxConnections: e.LUMINATE_MAX_CONNECTIONS,
      interactionTypeNames: e.LUMINATE_INTERACTION_TYPES,
      adminUrlTemplate: e.LUMINATE_ADMIN_URL_TEMPLATE ?? defaultAdminUrlTemplate(e.LUMINATE_URL),
    },
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, maxEntries: e.CACHE_MAX_ENTRIES },
    logging: { enabled: e.LUMINATE_LOGGING_ENABLED, ...e.SLACK_ALLOWED_LOGGERS },
    logLevel: e.LOG_LEVEL,
    redis: { url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX, cacheEncryptionKey: e.CACHE_ENCRYPTION_KEY },
    replicaId: e.REPLICA_ID ?? hostname(),
  };
}

/** The values that must never be printed, for the logger's redaction step. */
export function secretsOf(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.luminate.apiKey,
    config.luminate.loginPassword,
    config.redis.url,
    ...redisPasswords(config.redis.url),
    config.redis.cacheEncryptionKey?.toString('hex'),
    config.redis.cacheEncryptionKey?.toString('base64'),
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** The password (and a user name, which some providers make secret too) inside a Redis URL, as written and decoded. */
function redisPasswords(url: string | undefined): string[] {
  if (!url) return [];
  const { password, username } = new URL(url);
  return [password, safeDecode(password), username.length >= 8 ? username : ''];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Luminate serves its admin pages beside the public site: `…/yourorg/site` and
 * `…/yourorg/admin`. The constituent profile page is `ConsProfileUser`; sites
 * that differ set `LUMINATE_ADMIN_URL_TEMPLATE`.
 */
function defaultAdminUrlTemplate(siteUrl: string): string {
  const adminBase = /\/site$/i.test(siteUrl) ? siteUrl.replace(/\/site$/i, '/admin') : `${siteUrl}/admin`;
  return `${adminBase}/ConsProfileUser?consId={consId}`;
}
