import { describe, expect, it } from 'vitest';
import { startStandInSystem } from '../../dev/stand-ins/harness.js';
import { allText, commandAnswer, expectNoSecretLeaked, type SlackMessageBody, useStandInSystem } from '../support/system.js';

/** Distinct interaction ids per test keep the cache from answering for another test. */
let nextId = 5000;
const freshId = () => nextId++;

const system = useStandInSystem({ slowNoticeMs: 400 });

const header = (m: SlackMessageBody) => (m.blocks?.[0] as { text?: { text: string } } | undefined)?.text?.text;

describe('/interaction over real HTTP', () => {
  it.each([
    ['an email', '1000 jane@example.org'],
    ['a constituent id', '1000 cons:1001001'],
    ['a member id', '1000 member:JD-1001'],
    ['a mailto link as Slack sends it', '1000 <mailto:Jane@Example.org|Jane@Example.org>'],
  ])('finds the documented interaction by %s and answers privately', async (_kind, text) => {
    // Each case its own cache: a cached card would arrive in the ack instead.
    const own = await startStandInSystem();
    try {
      const { ack, answer } = await commandAnswer(own, text);
      expect(ack.status).toBe(200);
      expect(ack.body).toBe('');
      expect(answer.response_type).toBe('ephemeral');
      expect(header(answer)).toBe('Sample Subject');
      expect(answer.text).toBe('Interaction 1000: Sample Subject');
      expect(allText(answer)).toContain('Lorem ipsum dolor sit amet');
      expect(own.luminate.lookupCount).toBe(1);
      expectNoSecretLeaked(own);
    } finally {
      await own.stop();
    }
  });

  it('answers help in the ack, without calling Luminate', async () => {
    for (const text of ['', 'help']) {
      const ack = await system.slashCommand(text);
      const body = JSON.parse(ack.body) as SlackMessageBody;
      expect(body.response_type).toBe('ephemeral');
      expect(allText(body)).toContain('/interaction 1000 cons:1001001');
    }
    expect(system.luminate.requests).toHaveLength(0);
  });

  it.each([
    ['1000', /both the interaction id and the donor/],
    ['abc jane@example.org', /is not an interaction id/],
    ['1e3 jane@example.org', /is not an interaction id/],
    ['99999999999999999999 jane@example.org', /too large/],
    ['1000 jane', /not a donor identifier/],
    ['1000 cons:12x', /not a constituent id/],
    ['1000 jane@example.org bob@example.org', /Too many words/],
    ['1000 &lt;!channel&gt;', /not a donor identifier/],
  ])('refuses %j in the ack with the problem and the right form, without calling Luminate', async (text, problem) => {
    const ack = await system.slashCommand(text);
    const body = JSON.parse(ack.body) as SlackMessageBody;
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toMatch(problem);
    expect(allText(body)).toContain('/interaction 1000 jane@example.org');
    expect(allText(body)).not.toContain('<!channel>');
    expect(system.luminate.requests).toHaveLength(0);
  });

  it.each([
    ['16', /No donor in Luminate Online matches \*jane@example.org\*/],
    ['27', /has no interaction/],
    ['32', /has no interaction/],
    ['8', /More than one constituent matches/],
    ['15', /More than one constituent matches/],
    ['2', /rejected the bot's API key/],
    ['3', /rejected the bot's service account/],
    ['4', /not on the API allow-list/],
    ['14', /not allowed to read interactions/],
    ['5', /refused the bot's request \(code 5/],
    ['1', /could not process the request \(code 1\)\. Check/],
    ['123', /answered with an error \(code 123/],
  ])('Luminate error code %s reaches the person as what happened and what to do', async (code, headline) => {
    system.luminate.fault = { kind: 'error', code, message: 'Unable to process request.' };
    const { answer } = await commandAnswer(system, `${freshId()} jane@example.org`);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(headline);
    expect(answer.blocks).toHaveLength(2);
  });

  it('answers the real not-found and shared-email cases from the stand-in data', async () => {
    expect((await commandAnswer(system, `${freshId()} jane@example.org`)).answer.text).toMatch(/has no interaction/);
    expect((await commandAnswer(system, '1000 nobody@example.org')).answer.text).toMatch(/No donor in Luminate Online matches/);
    expect((await commandAnswer(system, '1000 family@example.org')).answer.text).toMatch(/More than one constituent/);
  });

  it.each([
    ['HTTP 500', { kind: 'status', status: 500 } as const, /unavailable right now/],
    ['an HTML page', { kind: 'html' } as const, /not a valid response/],
    ['malformed JSON', { kind: 'malformed' } as const, /not a valid response/],
    ['a reset connection', { kind: 'reset' } as const, /unavailable right now/],
  ])('%s from Luminate becomes a clear message, with no raw body', async (_what, fault, headline) => {
    system.luminate.fault = fault;
    const { answer } = await commandAnswer(system, `${freshId()} jane@example.org`);
    expect(answer.text).toMatch(headline);
    expect(allText(answer)).not.toMatch(/<html|DOCTYPE|getInteractionResponse|stack/i);
  });

  it('a Luminate that never answers gets a timeout message within LUMINATE_TIMEOUT_MS, after a still-looking notice', async () => {
    system.luminate.fault = { kind: 'hang' };
    const ack = await system.slashCommand(`${freshId()} jane@example.org`);
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(1000);
    const notice = await system.slack.waitForResponse(ack.responseUrl, 1, 3000);
    expect((notice.body as SlackMessageBody).text).toMatch(/Looking up interaction/);
    const final = await system.slack.waitForResponse(ack.responseUrl, 2, 4000);
    expect((final.body as SlackMessageBody).text).toMatch(/did not answer within 2 seconds/);
    expect(final.body.replace_original).toBe(true);
    expect(final.receivedAt - notice.receivedAt).toBeLessThan(3000);
  });

  it('acks at once while Luminate is slow, then delivers the card', async () => {
    system.luminate.latencyMs = 1200;
    const ack = await system.slashCommand(`1001 cons:1001001`);
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(500);
    const final = await system.slack.waitForResponse(ack.responseUrl, 2, 4000);
    expect(header(final.body as SlackMessageBody)).toBe('Phone call: Gift Aid question');
    expect(allText(final.body as SlackMessageBody)).toContain('No note on this interaction');
  });

  it('serves a repeat lookup from the cache, in the ack, saying it is cached', async () => {
    const first = await commandAnswer(system, '1000 member:JD-1001');
    expect(allText(first.answer)).toContain('fetched just now');
    const again = await system.slashCommand('01000  MEMBER:JD-1001');
    const cached = JSON.parse(again.body) as SlackMessageBody;
    expect(header(cached)).toBe('Sample Subject');
    expect(allText(cached)).toContain('cached, fetched just now');
    expect(system.luminate.lookupCount).toBe(1);
    expect(system.slack.responsesTo(again.responseUrl)).toHaveLength(0);
  });

  it('coalesces concurrent identical lookups into one Luminate call, and answers each', async () => {
    system.luminate.latencyMs = 200;
    const acks = await Promise.all(Array.from({ length: 8 }, () => system.slashCommand('1003 cons:1001001')));
    const answers = await Promise.all(acks.map((a) => system.slack.waitForResponse(a.responseUrl)));
    expect(system.luminate.lookupCount).toBe(1);
    for (const a of answers) expect(header(a.body as SlackMessageBody)).toBe('Long call notes');
  });

  it('escapes mentions, links and & from Luminate, and keeps non-ASCII intact', async () => {
    const { answer } = await commandAnswer(system, '1002 cons:1001001');
    // The header is plain_text, which Slack never parses for mentions or links: shown as written.
    expect(answer.blocks![0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Re: <!channel> Zoë’s 5 € gift & thanks 🎉' } });
    const text = allText({ ...answer, blocks: answer.blocks!.slice(1) });
    expect(text).not.toMatch(/<!channel>|<!here>|<@U024BE7LH>|<https:\/\/evil/);
    expect(text).toContain('please tell &lt;@U024BE7LH&gt; &amp; &lt;!here&gt;');
    expect(text).toContain('&lt;https://evil.example/|a receipt&gt;');
    expect(answer.text).toBe('Interaction 1002: Re: &lt;!channel&gt; Zoë’s 5 € gift &amp; thanks 🎉');
    expect(text).toContain('日本語 ok');
  });

  it('keeps a long note within Block Kit limits', async () => {
    const { answer } = await commandAnswer(system, '1003 jane@example.org');
    const note = answer.blocks!.find((b) => b.type === 'section' && 'text' in b && b.text?.text.startsWith('*Note*')) as { text: { text: string } };
    expect(note.text.text.length).toBeLessThanOrEqual(3000);
    expect(note.text.text).toContain('the full note is in Luminate Online');
  });

  it('survives an expired response_url: logs it, stays healthy', async () => {
    system.slack.responseStatus = 404;
    const ack = await system.slashCommand(`${freshId()} jane@example.org`);
    await system.slack.waitForResponse(ack.responseUrl);
    await expect.poll(() => system.logLines.some((l) => l.includes('could not post the answer to response_url'))).toBe(true);
    const health = await fetch(system.botUrl.replace('/slack/events', '/healthz'));
    expect(health.status).toBe(200);
  });
});
