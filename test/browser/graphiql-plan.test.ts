/**
 * The call plan from GraphiQL (issue 13 §5), in a real browser: with DEBUG_EXTENSIONS the bundled page opens with
 * `x-pamgraph-plan: 1` in its Headers pane, sends it with the query, and the plan shows in the result pane
 * under `extensions`, with route templates only. (Without the setting the page asks for nothing: graphiql.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { externalRequests, graphiqlInChromium, runInGraphiql } from './servers.js';

const DOCUMENT = 'query PlanPeek { accounts(first: 1) { totalCount } auditEntries(first: 1) { totalCount } }';

const chromium = graphiqlInChromium({ settings: { debugExtensions: true } });

describe('GraphiQL with DEBUG_EXTENSIONS, in Chromium', () => {
  it('asks for the call plan from its Headers pane and shows it in the result', async () => {
    const page = await chromium.browser.newPage();
    const external = externalRequests(page);
    // A short answer, so that all of it (the plan included) is in the result pane's view.
    await page.goto(`${chromium.gateway.url}?query=${encodeURIComponent(DOCUMENT)}`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
    // The Headers pane holds the header, where a person can see it and take it out.
    await page.getByText('Headers', { exact: true }).click();
    await page.waitForFunction(() => document.body.innerText.includes('x-pamgraph-plan'), undefined, {
      timeout: 15_000,
    });
    const response = await runInGraphiql(page, chromium.gateway.url, 'PlanPeek');
    expect(response.request().headers()['x-pamgraph-plan']).toBe('1');
    const body = (await response.json()) as {
      errors?: unknown[];
      extensions?: { upstreamCalls?: Array<{ upstream: string; route: string; wave: number }> };
    };
    expect(body.errors).toBeUndefined();
    const plan = body.extensions?.upstreamCalls ?? [];
    // Both upstreams answered, and the plan says so, in templates.
    expect(new Set(plan.map((c) => c.upstream))).toEqual(new Set(['pam', 'audit']));
    expect(plan.some((c) => c.route === '/api/system/accounts')).toBe(true);
    expect(plan.every((c) => !/\/\d+(\/|$)|\?/.test(c.route))).toBe(true);
    // The plan reached the result pane, where a person reads it.
    await page.waitForFunction(
      () =>
        (document.querySelector('.graphiql-response') as HTMLElement | null)?.innerText.includes(
          'upstreamCalls',
        ),
      undefined,
      { timeout: 15_000 },
    );
    expect(chromium.gateway.answered.filter((a) => a.status === 403)).toEqual([]);
    expect(external).toEqual([]);
    await page.close();
  }, 90_000);
});
