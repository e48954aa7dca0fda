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
    const { p, calls } = policy();
    expect(await p.check({ userId: 'U0ANY', channelId: null })).toEqual({ allowed: true });
    expect(await p.check({ userId: 'U0OTHER', channelId: 'C0ANY' })).toEqual({ allowed: true });
    expect(calls).toEqual([]);
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
    expect(await p.check({ userId: 'U0ANY', channelId: 'C0RANDOM' })).toEqual({ allowed: false, reason: 'channel' });
  });

  it('fails closed when membership cannot be read', async () => {
    const { p } = policy({ usergroups: new Set(['SGONE']) });
    expect(await p.check({ userId: 'U0MEMBER', channelId: null })).toEqual({ allowed: false, reason: 'check_failed' });
  });

  describe('several groups are read independently', () => {
    /** listGroupMembers where each group answers, fails or hangs on its own. */
    function groups(answers: Record<string, string[] | Error | 'hang'>) {
      const calls: string[] = [];
      const failures: [string, unknown][] = [];
      const p = new AccessPolicy({
        users: new Set(),
        usergroups: new Set(Object.keys(answers)),
        channels: new Set(),
        listGroupMembers: async (id) => {
          calls.push(id);
          const answer = answers[id]!;
          if (answer === 'hang') return new Promise<never>(() => {});
          if (answer instanceof Error) throw answer;
          return answer;
        },
        onGroupError: (id, error) => failures.push([id, error]),
      });
      return { p, calls, failures };
    }
    const gone = () => Object.assign(new Error('An API error occurred: no_such_subteam'), { data: { error: 'no_such_subteam' } });

    it('a group Slack cannot read does not refuse a member of another group, and the failing group is reported', async () => {
      const { p, failures } = groups({ SGONE: gone(), SDONORCARE: ['U0MEMBER'] });
      expect(await p.check({ userId: 'U0MEMBER', channelId: null })).toEqual({ allowed: true });
      expect(failures).toEqual([['SGONE', expect.objectContaining({ message: expect.stringContaining('no_such_subteam') })]]);
    });

    it('a group that never answers does not hold up a member of another group', async () => {
      const { p, calls } = groups({ SSTALLED: 'hang', SDONORCARE: ['U0MEMBER'] });
      expect(await p.check({ userId: 'U0MEMBER', channelId: null })).toEqual({ allowed: true });
      expect(calls).toEqual(['SSTALLED', 'SDONORCARE']);
    }, 2000);

    it('refuses with check_failed only when no group confirmed and one could not be read', async () => {
      const { p, failures } = groups({ SGONE: gone(), SDONORCARE: ['U0MEMBER'] });
      expect(await p.check({ userId: 'U0STRANGER', channelId: null })).toEqual({ allowed: false, reason: 'check_failed' });
      expect(failures.map(([id]) => id)).toEqual(['SGONE']);
    });

    it('refuses as not a member when every group was read and none lists the person', async () => {
      const { p, failures } = groups({ SDONORCARE: ['U0MEMBER'], SOTHER: ['U0OTHER'] });
      expect(await p.check({ userId: 'U0STRANGER', channelId: null })).toEqual({ allowed: false, reason: 'user' });
      expect(failures).toEqual([]);
    });
  });
});
