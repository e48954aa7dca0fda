import { describe, expect, it } from 'vitest';
import { MemoryReplayStore, REPLAY_WINDOW_MS, replayKey } from '../../src/access/replay-guard.js';

describe('MemoryReplayStore', () => {
  it('answers true once per key within the window, and again after it', () => {
    let now = 1_000_000;
    const store = new MemoryReplayStore({ clock: () => now });
    expect(store.firstSeen('a')).toBe(true);
    expect(store.firstSeen('a')).toBe(false);
    expect(store.firstSeen('b')).toBe(true);
    now += REPLAY_WINDOW_MS - 1;
    expect(store.firstSeen('a')).toBe(false);
    now += 2;
    expect(store.firstSeen('a')).toBe(true);
  });

  it('a repeat does not extend the window', () => {
    let now = 1000;
    const store = new MemoryReplayStore({ ttlMs: 100, clock: () => now });
    store.firstSeen('k');
    now = 1090;
    expect(store.firstSeen('k')).toBe(false);
    now = 1101;
    expect(store.firstSeen('k')).toBe(true);
  });

  it('stays within its bound', () => {
    const store = new MemoryReplayStore({ maxEntries: 3 });
    for (const k of ['1', '2', '3', '4']) store.firstSeen(k);
    // The oldest went first.
    expect(store.firstSeen('1')).toBe(true);
    expect(store.firstSeen('4')).toBe(false);
  });
});

describe('replayKey', () => {
  it('keys a command by team, user and trigger_id', () => {
    const key = replayKey({ command: '/interaction', team_id: 'T1', user_id: 'U1', trigger_id: '1.2.abc' });
    expect(key).toBe('/interaction|T1|U1|1.2.abc');
    expect(replayKey({ command: '/interaction', team_id: 'T1', user_id: 'U2', trigger_id: '1.2.abc' })).not.toBe(key);
  });

  it('keys a block action by its trigger and each action_ts, block and action', () => {
    const body = { type: 'block_actions', team: { id: 'T1' }, user: { id: 'U1' }, trigger_id: 't', actions: [{ action_ts: '1.5', block_id: 'b', action_id: 'a' }] };
    expect(replayKey(body)).toBe('block_actions|T1|U1|t|1.5/b/a');
    expect(replayKey({ ...body, actions: [{ action_ts: '1.6', block_id: 'b', action_id: 'a' }] })).not.toBe(replayKey(body));
  });

  it('has no key for a payload without a trigger or actions (the caller keys the whole body)', () => {
    expect(replayKey({ type: 'view_closed', team: { id: 'T1' } })).toBeUndefined();
  });
});
