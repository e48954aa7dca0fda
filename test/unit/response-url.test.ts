import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { ResponseUrlRefusedError, ResponseUrls } from '../../src/slack/response-url.js';

describe('ResponseUrls', () => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    res.end();
  });
  let origin: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("posts to SLACK_API_URL's origin and refuses any other, logging the origin but never the path", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', secrets: [], write: (l) => lines.push(l) });
    const urls = new ResponseUrls({ slackApiUrl: `${origin}/api/`, logger });
    const other = new ResponseUrls({ slackApiUrl: 'http://127.0.0.1:9/api/', logger });
    try {
      await urls.to(`${origin}/respond/1`)({ text: 'ok', blocks: [] });
      expect(hits).toEqual(['/respond/1']);
      await expect(other.to(`${origin}/internal/T000/secret-path`)({ text: 'card', blocks: [] })).rejects.toBeInstanceOf(ResponseUrlRefusedError);
      expect(hits).toEqual(['/respond/1']);
      expect(lines.join('\n')).toContain(origin);
      expect(lines.join('\n')).not.toContain('secret-path');
    } finally {
      await urls.close();
      await other.close();
    }
  });

  it("allows Slack's own hooks and nothing that merely looks like them", async () => {
    const urls = new ResponseUrls();
    expect(urls.allowed('https://hooks.slack.com/commands/T0/1/abc')).toBe(true);
    expect(urls.allowed('https://hooks.slack.com/actions/T0/1/abc')).toBe(true);
    expect(urls.allowed('http://hooks.slack.com/commands/T0/1/abc')).toBe(false);
    expect(urls.allowed('https://hooks.slack.com.evil.example/commands')).toBe(false);
    expect(urls.allowed('https://hooks.slack.com:8443/commands')).toBe(false);
    expect(urls.allowed('https://evil.example/?https://hooks.slack.com/')).toBe(false);
    expect(urls.allowed('not a url')).toBe(false);
    await urls.close();
  });
});
