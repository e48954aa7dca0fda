import { describe, expect, it } from 'vitest';
import { AccessPolicy, type AccessPolicyOptions } from '../../src/access/access-policy.js';

function policy(overrides: Partial<AccessPolicyOptions> = {}) {
  const calls: string[] = [];
  const groups: Record<string, string[]> = { SDONORCARE: ['U0MEMBER'], SOTHER: ['U0OTHER'] };
  const p = new AccessPolicy({
    users: new Set(),
    usergroups: new Set(),
    channels: new Set(),
    listGroupMembers: async (id) => {
      calls.push(id);
      if (!groups[id]) throw new Error('no_such_subteam');
      return groups[id]!;
    },
    ...overrides,
  });
  return { p, calls };
}

describe('AccessPolicy', () => {
  it('with no lists, everyone may look up from anywhere', async () => {
    const { p } = policy();
    expect(p.isOpen).toBe(true);
    expect(await p.check({ userId: 'U0ANY', channelId: null })).toEqual({ allowed: true });
  });

  it('allows listed users and refuses others', async () => {
    const { p } = policy({ users: new Set(['U0ALLOWED']) });
    expect(await p.check({ userId: 'U0ALLOWED', channelId: 'C1' })).toEqual({ allowed: true });
    expect(await p.check({ userId: 'U0STRANGER', channelId: 'C1' })).toEqual({ allowed: false, reason: 'user' });
  });

  it('allows members of a listed group, reading membership once while it is fresh', async () => {
    let now = 1_000_000;
    const { p, calls } = policy({ usergroups: new Set(['SDONORCARE']), clock: () => now, membershipTtlMs: 60_000 });
    expect(p.peek({ userId: 'U0MEMBER', channelId: null })).toBeUndefined();
    expect(await p.check({ userId: 'U0MEMBER', channelId: null })).toEqual({ allowed: true });
    expect(await p.check({ userId: 'U0STRANGER', channelId: null })).toEqual({ allowed: false, reason: 'user' });
    expect(p.peek({ userId: 'U0MEMBER', channelId: null })).toEqual({ allowed: true });
    expect(calls).toEqual(['SDONORCARE']);
    now += 61_000;
    await p.check({ userId: 'U0MEMBER', channelId: null });
    expect(calls).toEqual(['SDONORCARE', 'SDONORCARE']);
  });

  it('users and groups combine: either lets you in', async () => {
    const { p } = policy({ users: new Set(['U0ALLOWED']), usergroups: new Set(['SDONORCARE']) });
    expect((await p.check({ userId: 'U0ALLOWED', channelId: null })).allowed).toBe(true);
    expect((await p.check({ userId: 'U0MEMBER', channelId: null })).allowed).toBe(true);
    expect((await p.check({ userId: 'U0OTHER', channelId: null })).allowed).toBe(false);
  });

  it('with channels set, refuses other channels and requests with no channel, even for allowed users', async () => {
    const { p } = policy({ users: new Set(['U0ALLOWED']), channels: new Set(['C0DONORS']) });
    expect(await p.check({ userId: 'U0ALLOWED', channelId: 'C0DONORS' })).toEqual({ allowed: true });
    expect(await p.check({ userId: 'U0ALLOWED', channelId: 'C0RANDOM' })).toEqual({ allowed: false, reason: 'channel' });
    expect(await p.check({ userId: 'U0ALLOWED', channelId: null })).toEqual({ allowed: false, reason: 'no_channel' });
    expect(await p.check({ userId: 'U0STRANGER', channelId: 'C0DONORS' })).toEqual({ allowed: false, reason: 'user' });
  });

  it('channels alone: anyone, but only there', async () => {
    const { p } = policy({ channels: new Set(['C0DONORS']) });
    expect((await p.check({ userId: 'U0ANY', channelId: 'C0DONORS' })).allowed).toBe(true);
    expect(p.allowedChannels).toEqual(['C0DONORS']);
  });

  it('fails closed when membership cannot be read', async () => {
    const { p } = policy({ usergroups: new Set(['SGONE']) });
    expect(await p.check({ userId: 'U0MEMBER', channelId: null })).toEqual({ allowed: false, reason: 'check_failed' });
  });
});
