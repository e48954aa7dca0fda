import { z } from 'zod';

/**
 * The zod pieces that read one kind of environment value each; `config.ts` puts them
 * together into the one schema. Every message is written by hand: zod's defaults can quote
 * the offending value, and values here are secrets.
 */
export const required = (what: string) => z.string({ error: `is required (${what})` }).min(1, `is required (${what})`);

export const integer = (fallback: number, min: number, max: number) =>
  z
    .string({ error: 'must be a whole number' })
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .default(fallback);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An http(s) base URL. Plain http is accepted only on loopback: the service
 * account's password travels in every request body, so it must be encrypted
 * on any real network.
 */
export const baseUrl = (what: string) =>
  required(what).transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL (${what})` });
      return z.NEVER;
    }
    const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.');
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      ctx.addIssue({ code: 'custom', message: `must be an https:// URL (plain http only on localhost) (${what})` });
      return z.NEVER;
    }
    if (url.username || url.password || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: `must not carry credentials, a query or a fragment (${what})` });
      return z.NEVER;
    }
    // A loop, not /\/+$/: that pattern is quadratic on a long run of slashes.
    let href = url.href;
    while (href.endsWith('/')) href = href.slice(0, -1);
    return href;
  });

/** `0=Other,1=Phone call` → Map. Type 0 is Luminate's standard "Other". */
export const typeNames = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const names = new Map<string, string>([['0', 'Other']]);
    for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
      const match = /^(\d+)\s*=(.+)$/.exec(pair);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of id=name pairs, e.g. 0=Other,1=Phone call' });
        return z.NEVER;
      }
      names.set(match[1]!, match[2]!.trim());
    }
    return names;
  });

/** Comma-separated Slack ids of one kind, e.g. `U012AB,U034CD`. */
export const idList = (pattern: RegExp, example: string) =>
  z
    .string()
    .default('')
    .transform((raw, ctx) => {
      const ids = raw.split(',').map((id) => id.trim()).filter(Boolean);
      if (ids.some((id) => !pattern.test(id))) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of Slack ids like ${example}` });
        return z.NEVER;
      }
      return new Set(ids);
    });

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** A switch, written true/false, 1/0 or yes/no (any case). */
export const flag = (fallback: boolean) =>
  z
    .string()
    .transform((raw, ctx) => {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false (or 1/0, yes/no)' });
      return z.NEVER;
    })
    .default(fallback);

export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const USERGROUP_ID = /^S[A-Z0-9]{2,}$/;

/** Comma-separated user ids and user group ids together, e.g. `U012AB,S034CD`, sorted into the two kinds. */
export const peopleList = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const ids = raw.split(',').map((id) => id.trim()).filter(Boolean);
    if (ids.some((id) => !USER_ID.test(id) && !USERGROUP_ID.test(id))) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of Slack user ids like U012ABCDEF or user group ids like S012ABCDEF' });
      return z.NEVER;
    }
    return { users: new Set(ids.filter((id) => USER_ID.test(id))), usergroups: new Set(ids.filter((id) => USERGROUP_ID.test(id))) };
  });

export const adminUrlTemplate = z
  .string()
  .refine((t) => t.includes('{consId}'), 'must contain {consId} where the constituent id goes')
  .refine((t) => /^https:\/\/\S+$/.test(t) || /^http:\/\/(?:localhost|127\.[\d.]+)[:/]/.test(t), 'must be an https:// URL');

/**
 * A Redis URL. The value holds the password, so no message here repeats any part of it;
 * the database index is the path (`/2`), as both Redis clients and hosting providers write it.
 */
export const redisUrl = z.string().refine((raw) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '' && /^(?:\/\d{0,5})?$/.test(url.pathname) && url.hash === '';
}, 'must be a redis:// or rediss:// URL: redis[s]://[:password@]host[:port][/db] (value not shown: it may hold the password)');

/** 32 bytes as 64 hex digits or base64 (`openssl rand -hex 32`). */
export const encryptionKey = z.string().transform((raw, ctx) => {
  const text = raw.trim();
  const bytes = /^[\da-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : /^[\w+/]{43}=?$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes?.length !== 32) {
    ctx.addIssue({ code: 'custom', message: 'must be 32 random bytes as 64 hex digits or base64, e.g. from `openssl rand -hex 32`' });
    return z.NEVER;
  }
  return bytes;
});
