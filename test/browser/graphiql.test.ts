/**
 * GraphiQL in a real browser, behind CSRF prevention: the bundled page loads with nothing from a public host,
 * every request it makes carries `graphql-preflight`, and its example query runs with data from both upstreams.
 */
import { describe, expect, it } from 'vitest';
import { externalRequests, graphiqlInChromium, runInGraphiql } from './servers.js';

const chromium = graphiqlInChromium();

describe('GraphiQL in Chromium', () => {
  it('loads offline, sends graphql-preflight with every request, and runs its example query', async () => {
    const page = await chromium.browser.newPage();
    const external = externalRequests(page);
    const sent: Array<{ method: string; preflight: string | undefined; plan: string | undefined }> = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/graphql' && request.resourceType() !== 'document') {
        sent.push({
          method: request.method(),
          preflight: request.headers()['graphql-preflight'],
          plan: request.headers()['x-pamgraph-plan'],
        });
      }
    });
    await page.goto(chromium.gateway.url);
    // GraphiQL introspects the schema first: a JSON POST that CSRF prevention lets through as it is.
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    const response = await runInGraphiql(page, chromium.gateway.url, 'AccountsAtAGlance');
    const body = (await response.json()) as {
      data?: { accounts: { edges: Array<{ node: { name: string } }> } };
      errors?: unknown[];
      extensions?: unknown;
    };
    expect(response.status()).toBe(200);
    expect(body.errors).toBeUndefined();
    // Without DEBUG_EXTENSIONS the page asks for no call plan (graphiql-plan.test.ts has it with).
    expect(body.extensions).toBeUndefined();
    expect(body.data?.accounts.edges).toHaveLength(3);
    expect(chromium.stack.sims.pam.requests.count).toBeGreaterThan(0);
    expect(chromium.stack.sims.audit.requests.count).toBeGreaterThan(0);
    // The answer reached the result pane, where a person reads it.
    const first = body.data?.accounts.edges[0]?.node.name ?? '<none>';
    await page.waitForFunction((name) => document.body.innerText.includes(name), first, { timeout: 15_000 });

    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.every((request) => request.preflight === '1')).toBe(true);
    expect(sent.every((request) => request.plan === undefined)).toBe(true);
    expect(chromium.gateway.answered.filter((a) => a.status === 403)).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  }, 90_000);
});
