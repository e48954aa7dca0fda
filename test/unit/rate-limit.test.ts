import { describe, expect, it } from 'vitest';
import { LookupRateLimit } from '../../src/access/rate-limit.js';

describe('LookupRateLimit', () => {
  it('allows perMinute lookups in a rolling minute, then says how long to wait', () => {
    let now = 1_000_000;
    const limit = new LookupRateLimit({ perMinute: 3, clock: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limit.take('U1')).toEqual({ allowed: true });
      now += 10_000;
    }
    expect(limit.take('U1')).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(limit.take('U2')).toEqual({ allowed: true });
    now += 30_000;
    expect(limit.take('U1')).toEqual({ allowed: true });
    expect(limit.take('U1')).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('refused attempts do not extend the wait', () => {
    let now = 1_000_000;
    const limit = new LookupRateLimit({ perMinute: 1, clock: () => now });
    limit.take('U1');
    for (let i = 0; i < 10; i++) {
      now += 5_000;
      limit.take('U1');
    }
    now += 10_000;
    expect(limit.take('U1')).toEqual({ allowed: true });
  });
});
