import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../src/observability/audit.js';

describe('audit log', () => {
  it('writes the lookup line with exactly the documented fields, in order', () => {
    const lines: string[] = [];
    const audit = createAuditLog({ write: (l) => lines.push(l), clock: () => Date.parse('2026-11-29T10:00:00Z') });
    audit.lookup({ user: 'U1', team: 'T1', channel: 'C1', surface: 'command', interactionId: 1000, identifierKind: 'email', outcome: 'found', cached: true, ms: 12.4 });
    expect(lines).toEqual([
      '{"event":"interaction.lookup","user":"U1","team":"T1","channel":"C1","surface":"command","interactionId":1000,"identifierKind":"email","outcome":"found","cached":true,"ms":12,"at":"2026-11-29T10:00:00.000Z"}\n',
    ]);
  });

  it('names the replica on every line, with REPLICA_ID', () => {
    const lines: string[] = [];
    const audit = createAuditLog({ write: (l) => lines.push(l), clock: () => 0, replica: 'bot-2' });
    audit.lookup({ user: 'U1', team: 'T1', channel: 'C1', surface: 'command', interactionId: 1000, identifierKind: 'email', outcome: 'found', cached: true, ms: 1 });
    audit.share({ user: 'U1', team: 'T1', channel: 'C2', threadTs: null, interactionId: 1, identifierKind: 'cons', outcome: 'shared' });
    audit.list({ user: 'U1', team: 'T1', channel: 'C1', surface: 'command', identifierKind: 'email', filters: { since: false, until: false, typeId: null }, page: 0, rows: 0, outcome: 'found', cached: false, ms: 1 });
    expect(lines.map((l) => (JSON.parse(l) as { replica?: string }).replica)).toEqual(['bot-2', 'bot-2', 'bot-2']);
  });

  it('writes shares as their own event', () => {
    const lines: string[] = [];
    createAuditLog({ write: (l) => lines.push(l), clock: () => 0 }).share({
      user: 'U1',
      team: 'T1',
      channel: 'C2',
      threadTs: '1.2',
      interactionId: 1,
      identifierKind: 'cons',
      outcome: 'shared',
    });
    expect(JSON.parse(lines[0]!)).toEqual({ event: 'interaction.share', user: 'U1', team: 'T1', channel: 'C2', threadTs: '1.2', interactionId: 1, identifierKind: 'cons', outcome: 'shared', at: '1970-01-01T00:00:00.000Z' });
  });

  it('writes a log attempt with exactly the fields issue 14 names, and nothing about the donor', () => {
    const lines: string[] = [];
    createAuditLog({ write: (l) => lines.push(l), clock: () => 0 }).log({
      user: 'U1',
      team: 'T1',
      channel: 'C1',
      surface: 'log_form',
      identifierKind: 'email',
      typeId: 3,
      outcome: 'uncertain',
      ms: 20_001.2,
    });
    expect(lines).toEqual([
      '{"event":"interaction.log","user":"U1","team":"T1","channel":"C1","surface":"log_form","identifierKind":"email","typeId":3,"outcome":"uncertain","ms":20001,"at":"1970-01-01T00:00:00.000Z"}\n',
    ]);
  });
});
