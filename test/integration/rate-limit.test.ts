import { describe, expect, it } from 'vitest';
import { commandAnswer, useStandInSystem } from '../support/system.js';

const system = useStandInSystem({ env: { LOOKUP_RATE_PER_MINUTE: '5' } });

describe('LOOKUP_RATE_PER_MINUTE', () => {
  it('refuses the sixth lookup in a minute with a clear message and no upstream call; others are unaffected', async () => {
    for (let i = 0; i < 5; i++) expect((await commandAnswer(system, `1000 jane@example.org`)).answer.text).toBe('Interaction 1000: Sample Subject');
    const callsBefore = system.luminate.requests.length;
    const { answer } = await commandAnswer(system, '1001 jane@example.org');
    expect(answer.text).toMatch(/^You've made 5 lookups in the last minute, the most the bot allows\. Try again in \d+ s\.$/);
    expect(system.luminate.requests.length).toBe(callsBefore);
    expect(system.audit.at(-1)).toMatchObject({ event: 'interaction.lookup', outcome: 'rate_limited', interactionId: 1001 });

    const other = await system.slashCommand('1001 jane@example.org', { user_id: 'U0COLLEAGUE' });
    expect((await system.slack.waitForResponse(other.responseUrl)).body.text).toMatch(/^Interaction 1001/);
  });

  it('audits a refusal from the cache path as rate_limited too, apart from an access refusal', async () => {
    const user = { user_id: 'U0CACHEDREADER' };
    for (let i = 0; i < 5; i++) {
      const sent = await system.slashCommand('1000 jane@example.org', user);
      if (!sent.body) await system.slack.waitForResponse(sent.responseUrl);
    }
    const sixth = await system.slashCommand('1000 jane@example.org', user);
    // A cached card would be in the ack; over the limit the refusal is, and it is audited as such.
    expect(JSON.parse(sixth.body).text).toMatch(/^You've made 5 lookups in the last minute/);
    const mine = system.audit.filter((a) => a.user === 'U0CACHEDREADER');
    expect(mine.map((a) => a.outcome)).toEqual(['found', 'found', 'found', 'found', 'found', 'rate_limited']);
  });
});
