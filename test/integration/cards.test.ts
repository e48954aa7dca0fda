import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStandInSystem, type StandInSystem } from '../../src/stand-ins/harness.js';
import { allText, commandAnswer, expectNoSecretLeaked, type SlackMessageBody } from '../support/system.js';

let system: StandInSystem;
beforeAll(async () => {
  system = await startStandInSystem();
});
afterAll(async () => {
  expectNoSecretLeaked(system);
  await system.stop();
});
beforeEach(() => {
  system.luminate.reset();
  system.slack.reset();
  system.audit.length = 0;
});

const header = (m: { blocks?: unknown[] }) => (m.blocks?.[0] as { text?: { text: string } } | undefined)?.text?.text;
describe('the email is sent as typed', () => {
  it('sends primary_email as typed and folds case only in the cache key', async () => {
    const { answer } = await commandAnswer(system, '1000 Jane@Example.org');
    expect(header(answer)).toBe('Sample Subject');
    expect(system.luminate.requests.filter((r) => r.apiMethod === 'getInteraction').map((r) => r.primaryEmail)).toEqual(['Jane@Example.org']);
    const again = await system.slashCommand('1000 jane@example.org');
    expect(header(JSON.parse(again.body) as SlackMessageBody)).toBe('Sample Subject');
    expect(system.luminate.lookupCount).toBe(1);
  });
});

describe('/interaction replaces only what it posted', () => {
  let slow: StandInSystem;
  beforeAll(async () => {
    slow = await startStandInSystem({ slowNoticeMs: 50, luminateLatencyMs: 600 });
  });
  afterAll(async () => {
    await slow.stop();
  });

  it('does not ask to replace a looking-up notice that failed to post', async () => {
    slow.slack.responseStatus = 500;
    const ack = await slow.slashCommand('1000 jane@example.org');
    const notice = await slow.slack.waitForResponse(ack.responseUrl, 1);
    expect(allText(notice.body as SlackMessageBody)).toContain('Looking up');
    slow.slack.responseStatus = 200;
    const answer = (await slow.slack.waitForResponse(ack.responseUrl, 2)).body as SlackMessageBody;
    expect(header(answer)).toBe('Sample Subject');
    expect(answer.replace_original).toBeUndefined();
  });

  it('still replaces a notice that was posted', async () => {
    const ack = await slow.slashCommand('1001 member:JD-1001');
    const answer = (await slow.slack.waitForResponse(ack.responseUrl, 2)).body as SlackMessageBody;
    expect(answer.replace_original).toBe(true);
  });
});
