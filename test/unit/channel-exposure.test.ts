import { describe, expect, it } from 'vitest';
import { ChannelExposureCheck, classify } from '../../src/access/channel-exposure.js';

const internal = { is_ext_shared: false, is_shared: false, is_org_shared: false, is_pending_ext_shared: false };

describe('classify: internal only when Slack says so', () => {
  it.each([
    ['an ordinary channel', internal, 'internal'],
    ['a channel shared across the Enterprise Grid org', { ...internal, is_shared: true, is_org_shared: true }, 'internal'],
    ['a Slack Connect channel', { ...internal, is_shared: true, is_ext_shared: true }, 'external'],
    ['a Slack Connect DM', { is_im: true, is_ext_shared: true }, 'external'],
    ['a pending Slack Connect invitation', { ...internal, is_pending_ext_shared: true }, 'pending_external'],
    ['a pending share named only in pending_shared', { ...internal, pending_shared: ['T0OTHER'] }, 'pending_external'],
    ['a pending connected team', { ...internal, pending_connected_team_ids: ['T0OTHER'] }, 'pending_external'],
    ['a DM without is_ext_shared', { is_im: true, is_org_shared: false }, 'unconfirmed'],
    ['a group DM without is_ext_shared', { is_mpim: true }, 'unconfirmed'],
    ['shared, neither org nor external', { ...internal, is_shared: true }, 'unconfirmed'],
    ['an empty answer', {}, 'unconfirmed'],
  ] as const)('%s → %s', (_name, channel, kind) => {
    expect(classify(channel).kind).toBe(kind);
  });
});

describe('ChannelExposureCheck', () => {
  it('trusts an answer for its TTL, then asks again', async () => {
    let now = 1_000_000;
    let calls = 0;
    const check = new ChannelExposureCheck({ channelInfo: async () => (calls++, internal), ttlMs: 300_000, clock: () => now });
    expect(await check.check('C1')).toEqual({ kind: 'internal' });
    now = 1_299_000;
    await check.check('C1');
    expect(calls).toBe(1);
    now = 1_301_000;
    await check.check('C1');
    expect(calls).toBe(2);
  });

  it('concurrent checks of one channel ask once', async () => {
    let calls = 0;
    const check = new ChannelExposureCheck({ channelInfo: async () => (calls++, await new Promise((r) => setTimeout(r, 20)), internal) });
    await Promise.all([check.check('C1'), check.check('C1'), check.check('C1')]);
    expect(calls).toBe(1);
  });

  it('maps Slack errors; reports them; caches none', async () => {
    const errors: string[] = [];
    let error: unknown = { code: 'slack_webapi_platform_error', data: { error: 'missing_scope' } };
    const check = new ChannelExposureCheck({ channelInfo: async () => Promise.reject(error), onError: (c) => errors.push(c) });
    expect(await check.check('C1')).toEqual({ kind: 'unknown', reason: 'missing_scope' });
    error = { code: 'slack_webapi_rate_limited_error', retryAfter: 20 };
    expect(await check.check('C1')).toEqual({ kind: 'unknown', reason: 'rate_limited' });
    error = { code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } };
    expect(await check.check('C1')).toEqual({ kind: 'not_visible' });
    error = new Error('socket hang up');
    expect(await check.check('C1')).toEqual({ kind: 'unknown', reason: 'error' });
    expect(errors).toEqual(['C1', 'C1', 'C1']);
  });

  it('a Slack that never answers: unknown (timeout) after timeoutMs', async () => {
    const check = new ChannelExposureCheck({ channelInfo: () => new Promise(() => {}), timeoutMs: 50 });
    const started = Date.now();
    expect(await check.check('C1')).toEqual({ kind: 'unknown', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
