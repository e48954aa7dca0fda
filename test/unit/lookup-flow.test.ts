import { describe, expect, it } from 'vitest';
import { AccessPolicy } from '../../src/access/access-policy.js';
import { LookupRateLimit } from '../../src/access/rate-limit.js';
import { createAuditLog } from '../../src/observability/audit.js';
import { LookupFlow } from '../../src/listeners/lookup-flow.js';
import { createLogger } from '../../src/observability/logger.js';
import type { LookupAnswers } from '../../src/lookup/answer-lookups.js';

const lookup = { interactionId: 1000, identifier: { kind: 'email', email: 'jane@example.org' } } as const;
const request = { userId: 'U0AGENT', teamId: 'T0', channelId: 'C0', surface: 'command' } as const;

describe('LookupFlow.run', () => {
  it('never rejects: a bug below it becomes the failure message, one error line with the stack, and an error audit line', async () => {
    const lines: string[] = [];
    const audit: Record<string, unknown>[] = [];
    // Only `answer` is reached on this path; it fails the way a bug would.
    const answers = { answer: () => Promise.reject(new TypeError('boom')) } as unknown as LookupAnswers;
    const flow = new LookupFlow({
      answers,
      access: new AccessPolicy({ users: new Set(), usergroups: new Set(), channels: new Set(), listGroupMembers: async () => [] }),
      rateLimit: new LookupRateLimit({ perMinute: 30 }),
      audit: createAuditLog({ write: (line) => audit.push(JSON.parse(line) as Record<string, unknown>) }),
      accessContact: undefined,
      logger: createLogger({ level: 'info', secrets: [], write: (line) => lines.push(line) }),
    });
    const result = await flow.run(request, lookup, { kind: 'shared', sharedBy: 'U0AGENT' });
    expect(result.found).toBe(false);
    expect(result.message.text).toMatch(/went wrong inside the bot/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/"level":"error".*lookup failed unexpectedly/);
    expect(lines[0]).toContain('TypeError');
    expect(lines[0]).not.toContain('jane@example.org');
    expect(audit).toEqual([expect.objectContaining({ outcome: 'error', interactionId: 1000 })]);
  });
});
