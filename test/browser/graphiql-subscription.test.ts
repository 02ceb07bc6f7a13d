/**
 * GraphiQL in a real browser runs a subscription: the bundled page, opened with a subscription document in its
 * editor, streams `auditEntryAdded` from the gateway over SSE (a GET carrying `graphql-preflight`, which CSRF
 * prevention lets through), shows an entry created afterwards in the Audit simulator in its result pane, sends
 * nothing to a public host, and the gateway releases the stream once the page is closed.
 */
import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { callSimulator } from '../support/seed.js';
import { sleep } from '../support/sse.js';
import { externalRequests, graphiqlInChromium } from './servers.js';

const SUBSCRIPTION = 'subscription LiveAudit { auditEntryAdded { auditId jobName organization } }';

const chromium = graphiqlInChromium({ settings: { auditFeedIntervalMs: 300 } });

/** Waits until `check` holds, polling every 20 ms; fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('GraphiQL subscription in Chromium', () => {
  it('streams auditEntryAdded into the result pane and releases the stream when the page closes', async () => {
    const page = await chromium.browser.newPage();
    const external = externalRequests(page);
    const sent: Request[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/graphql' && request.resourceType() !== 'document') sent.push(request);
    });
    // The page puts its `query` search parameter into the editor (and keeps it there as the document is edited).
    await page.goto(`${chromium.gateway.url}?query=${encodeURIComponent(SUBSCRIPTION)}`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    await page.waitForFunction(
      () => document.querySelector('.graphiql-query-editor')?.textContent?.includes('auditEntryAdded'),
      undefined,
      { timeout: 15_000 },
    );

    // The stream is live once the gateway answered the subscription: headers come after the feed subscribed.
    const streaming = page.waitForResponse(
      (response) => response.request().headers().accept === 'text/event-stream',
      { timeout: 30_000 },
    );
    expect(chromium.stack.gateway.feed.size).toBe(0);
    await page.click('.graphiql-execute-button');
    const stream = await streaming;
    expect(stream.status()).toBe(200);
    await until('the feed to serve one stream', () => chromium.stack.gateway.feed.size === 1, 10_000);
    expect(chromium.stack.gateway.feed.pollers).toBe(1);

    const jobName = `graphiql-live-${Date.now().toString(36)}`;
    const created = await callSimulator<{ id: string }>(
      chromium.stack.sims.audit.url,
      'POST',
      '/ux/nccm/jobs-account-audit/',
      {
        auth: chromium.stack.sims.credentials.audit.primaryKey,
        body: { organization: 'acme-networks', job_name: jobName },
      },
    );
    expect(created.status).toBe(201);
    // The event reached the result pane, where a person reads it (the document itself names neither).
    await page.waitForFunction(
      ([name, id]) => {
        const shown = (document.querySelector('.graphiql-response') as HTMLElement | null)?.innerText ?? '';
        return shown.includes(name) && shown.includes(id) && document.body.innerText.includes(name);
      },
      [jobName, String(created.body.id)] as const,
      { timeout: 10_000 },
    );

    // GraphiQL sends the subscription as a GET asking for an event stream (introspection was a JSON POST).
    const subscription = sent.find((request) => request.headers().accept === 'text/event-stream');
    expect(subscription?.method()).toBe('GET');
    expect(new URL(subscription?.url() ?? chromium.gateway.url).searchParams.get('operationName')).toBe(
      'LiveAudit',
    );
    expect(subscription?.headers()['graphql-preflight']).toBe('1');
    expect(sent.every((request) => request.headers()['graphql-preflight'] === '1')).toBe(true);
    expect(chromium.gateway.answered.filter((a) => a.status === 403)).toEqual([]);
    expect(external).toEqual([]);

    // Closing the page drops the connection; the gateway ends the stream and stops polling for it.
    await page.close();
    await until('the stream to be released', () => chromium.stack.gateway.feed.size === 0, 5_000);
    expect(chromium.stack.gateway.feed.pollers).toBe(0);
  }, 90_000);
});
