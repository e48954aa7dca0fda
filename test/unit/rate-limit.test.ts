import { describe, expect, it } from 'vitest';
import { LookupRateLimit } from '../../src/access/rate-limit.js';

describe('LookupRateLimit', () => {
  it("allows a minute's allowance at once, then refills evenly, and says how long to wait", () => {
    let now = 1_000_000;
    const limit = new LookupRateLimit({ perMinute: 3, clock: () => now });
    for (let i = 0; i < 3; i++) expect(limit.take('U1')).toEqual({ allowed: true });
    expect(limit.take('U1')).toEqual({ allowed: false, retryAfterMs: 20_000 });
    expect(limit.take('U2')).toEqual({ allowed: true });
    now += 15_000;
    expect(limit.take('U1')).toEqual({ allowed: false, retryAfterMs: 5_000 });
    now += 5_000;
    expect(limit.take('U1')).toEqual({ allowed: true });
    expect(limit.take('U1').allowed).toBe(false);
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

  it('after an idle minute a person has their whole allowance again', () => {
    let now = 1_000_000;
    const limit = new LookupRateLimit({ perMinute: 30, clock: () => now });
    for (let i = 0; i < 30; i++) limit.take('U1');
    now += 61_000;
    for (let i = 0; i < 30; i++) expect(limit.take('U1').allowed).toBe(true);
    expect(limit.take('U1').allowed).toBe(false);
  });

  it('forgets people idle for a minute, without changing anyone\'s allowance', () => {
    let now = 1_000_000;
    const limit = new LookupRateLimit({ perMinute: 2, clock: () => now });
    for (let i = 0; i < 100; i++) limit.take(`U${i}`);
    limit.take('UBUSY');
    limit.take('UBUSY');
    expect(limit.tracked).toBe(101);
    now += 45_000;
    // UBUSY has refilled 1.5 of 2 tokens: one lookup, then a refusal.
    expect(limit.take('UBUSY')).toEqual({ allowed: true });
    expect(limit.take('UBUSY').allowed).toBe(false);
    now += 20_000;
    limit.take('UNEW');
    // The idle hundred are gone; UBUSY, last seen 20 s ago, is kept with its partly empty bucket (1.17 tokens).
    expect(limit.tracked).toBe(2);
    expect(limit.take('UBUSY')).toEqual({ allowed: true });
    expect(limit.take('UBUSY').allowed).toBe(false);
    expect(limit.take('U1')).toEqual({ allowed: true });
  });
});
