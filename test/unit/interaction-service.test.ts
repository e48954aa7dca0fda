import { describe, expect, it } from 'vitest';
import { AccessPolicy } from '../../src/access/access-policy.js';
import { LookupRateLimit } from '../../src/access/rate-limit.js';
import { createAuditLog } from '../../src/observability/audit.js';
import { createLogger } from '../../src/observability/logger.js';
import { createCaches } from '../../src/service/caches.js';
import type { DonorSource, InteractionSource } from '../../src/luminate/client.js';
import type { Interaction } from '../../src/luminate/schema.js';
import type { InteractionCache } from '../../src/service/interaction-cache.js';
import { InteractionService } from '../../src/service/interaction-service.js';
import { Answers } from '../../src/slack/answer.js';

const request = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } } as const;
const requester = { userId: 'U0AGENT', teamId: 'T0', channelId: 'C0', surface: 'command' } as const;

function serviceWith(broken: { interactions?: InteractionCache; access?: AccessPolicy }) {
  return serviceOver({ getInteraction: () => Promise.reject(new Error('unused')) }, broken);
}

/** The service over a Luminate source of the test's own, with everything else as the bot runs it. */
function serviceOver(source: InteractionSource & Partial<DonorSource>, broken: { interactions?: InteractionCache; access?: AccessPolicy } = {}) {
  const lines: string[] = [];
  const audit: Record<string, unknown>[] = [];
  const caches = createCaches(source, { ttlSeconds: 300, maxEntries: 10 });
  const service = new InteractionService({
    ...caches,
    interactions: broken.interactions ?? caches.interactions,
    access: broken.access ?? new AccessPolicy({ users: new Set(), usergroups: new Set(), channels: new Set(), listGroupMembers: async () => [] }),
    rateLimit: new LookupRateLimit({ perMinute: 30 }),
    audit: createAuditLog({ write: (line) => audit.push(JSON.parse(line) as Record<string, unknown>) }),
    logger: createLogger({ level: 'info', secrets: [], write: (line) => lines.push(line) }),
  });
  return { service, lines, audit };
}

const answers = new Answers({ typeNames: new Map(), adminUrlTemplate: '', access: { channels: [] } });

describe('InteractionService.card', () => {
  it.each([
    // The cache fails the way a bug would.
    ['the cache', { interactions: { peek: () => undefined, get: () => Promise.reject(new TypeError('boom')) } as unknown as InteractionCache }],
    // The access check fails the way a bug would, before anything is read.
    ['the access check', { access: { peek: () => undefined, check: () => Promise.reject(new TypeError('boom')) } as unknown as AccessPolicy }],
  ])('never rejects: a bug in %s becomes the failure message, one error line with the stack, and an error audit line', async (_where, broken) => {
    const { service, lines, audit } = serviceWith(broken);
    const outcome = await service.card(requester, request);
    expect(outcome.kind).toBe('failed');
    const result = answers.card(outcome, { kind: 'shared', sharedBy: 'U0AGENT' });
    expect(result.found).toBe(false);
    expect(result.message.text).toMatch(/went wrong inside the bot/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/"level":"error".*lookup failed unexpectedly/);
    expect(lines[0]).toContain('TypeError');
    expect(lines[0]).not.toContain('jane@example.org');
    expect(audit).toEqual([expect.objectContaining({ outcome: 'error', interactionId: 1000 })]);
  });
});

describe('InteractionService: the donor beside the interaction', () => {
  const record = (consId: string | null): Interaction => ({ interactionId: '1000', typeId: '0', categoryId: '0', consId, createdBy: '1', creationDate: null, subject: 's', note: null });
  const donor = (consId: string | null) => ({ consId, firstName: 'Jane', lastName: 'Doe', email: null });

  it('shows no name about another constituent than the interaction’s; a hidden id on either side is no mismatch', async () => {
    const cases: [string | null, string | null, boolean][] = [
      ['1001001', '1001001', true],
      ['1001001', '01001001', true],
      ['1001001', '1009999', false],
      [null, '1001001', true],
      ['1001001', null, true],
    ];
    for (const [interactionCons, donorCons, shown] of cases) {
      const { service } = serviceOver({ getInteraction: () => Promise.resolve(record(interactionCons)), getUser: () => Promise.resolve(donor(donorCons)) });
      const outcome = await service.card(requester, request);
      expect(outcome.kind === 'card' && outcome.card.donor !== undefined).toBe(shown);
    }
  });

  it('a cached name comes with a cached card, without a call', async () => {
    let getUserCalls = 0;
    const { service } = serviceOver({ getInteraction: () => Promise.resolve(record('1')), getUser: () => (getUserCalls++, Promise.resolve(donor('1'))) });
    await service.card(requester, request);
    expect(service.peekCard({ interactionId: 1000, identifier: { kind: 'email', email: 'JANE@example.org' } })?.donor?.firstName).toBe('Jane');
    expect(getUserCalls).toBe(1);
  });
});
