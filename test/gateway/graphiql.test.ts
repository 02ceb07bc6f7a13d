/**
 * GraphiQL: served offline (no script or style from a public host), and its example query runs as is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../../src/example-query.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('GraphiQL', () => {
  it('is served on GET /graphql with every script and style inline', async () => {
    const res = await stack.gateway.yoga.fetch('http://pamgraph.test/graphql', {
      headers: { accept: 'text/html' },
    });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('<title>pamgraph</title>');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+rel=["']stylesheet["'][^>]*href=["']https?:/i);
    expect(html).not.toMatch(/@import\s+url\(["']?https?:/i);
    expect(html).toContain('AccountsAtAGlance');
  });

  it('opens with an example query that runs without errors and returns data from both upstreams', async () => {
    const res = await stack.query<{
      accounts: { edges: Array<{ node: { name: string; server: { name: string } | null } }> };
    }>(EXAMPLE_QUERY);
    expect(res.errors).toBeUndefined();
    expect(res.data?.accounts.edges).toHaveLength(3);
    expect(res.data?.accounts.edges.every((e) => e.node.server?.name)).toBe(true);
    expect(stack.sims.audit.requests.count).toBeGreaterThan(0);
  });
});
