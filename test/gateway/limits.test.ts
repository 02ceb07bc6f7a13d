/**
 * Query limits: an over-deep, over-wide, over-long or over-costly operation, and an oversized `first`, are
 * rejected before any resolver runs — the simulators record zero requests. Legitimate queries pass.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());
beforeEach(() => stack.resetRecords());

function expectLimit(
  res: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
  pattern: RegExp,
) {
  expect(res.errors).toHaveLength(1);
  expect(res.errors?.[0]?.message).toMatch(pattern);
  expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
}

function upstreamRequests(): number {
  return stack.sims.pam.requests.count + stack.sims.audit.requests.count;
}

/** `account { server { accounts { edges { node { server { accounts … } } } } } }`, `levels` times. */
function deepQuery(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = `server { accounts(first: 1) { edges { node { ${inner} } } } }`;
  return `{ account(id: "1") { ${inner} } }`;
}

describe('rejected before any upstream request', () => {
  it('an over-deep query', async () => {
    const res = await stack.query(deepQuery(6));
    expect(res.data ?? null).toBeNull();
    expectLimit(res, /depth/i);
    expect(upstreamRequests()).toBe(0);
  });

  it('an over-wide query (too many aliases)', async () => {
    const fields = Array.from({ length: 40 }, (_, i) => `a${i}: account(id: "${i + 1}") { name }`).join(' ');
    const res = await stack.query(`{ ${fields} }`);
    expect(res.data ?? null).toBeNull();
    expectLimit(res, /alias/i);
    expect(upstreamRequests()).toBe(0);
  });

  it('an over-long document (too many tokens)', async () => {
    const fields = Array.from({ length: 6000 }, () => 'name').join(' ');
    const res = await stack.query(`{ accounts(first: 1) { edges { node { ${fields} } } } }`);
    expect(res.data ?? null).toBeNull();
    expectLimit(res, /token/i);
    expect(upstreamRequests()).toBe(0);
  });

  it('an over-costly query, where lists weigh by their first', async () => {
    const query = `{ accounts(first: 100) { edges { node { safes { safe {
      accounts(first: 100) { edges { node { name server { name } } } } } } } } } }`;
    const res = await stack.query(query);
    expect(res.data ?? null).toBeNull();
    expectLimit(res, /complexity/i);
    expect(upstreamRequests()).toBe(0);
  });

  it('the same query with small pages is accepted: the cost follows first', async () => {
    const query = `{ accounts(first: 2) { edges { node { safes { safe {
      accounts(first: 2) { edges { node { name server { name } } } } } } } } } }`;
    const res = await stack.query(query);
    expect(res.errors).toBeUndefined();
    expect(res.data?.accounts).toBeTruthy();
  });

  it('first: 1000 is BAD_USER_INPUT', async () => {
    const res = await stack.query('{ accounts(first: 1000) { edges { node { name } } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(upstreamRequests()).toBe(0);
  });

  it('a cost computed from variables, not only literals', async () => {
    const query = `query ($n: Int) { accounts(first: $n) { edges { node { safes { safe {
      accounts(first: $n) { edges { node { name server { name } } } } } } } } } }`;
    // The same document first passes with small pages: a cached validation must not let the large one through.
    const small = await stack.query(query, { n: 2 });
    expect(small.errors).toBeUndefined();
    stack.resetRecords();
    const res = await stack.query(query, { n: 100 });
    expectLimit(res, /complexity/i);
    expect(upstreamRequests()).toBe(0);
  });
});

describe('accepted', () => {
  it('GraphiQL’s introspection query', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const res = await stack.query(getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(upstreamRequests()).toBe(0);
  });

  it('the product question in one query: account, server, safes, managers and last audit entries', async () => {
    const res = await stack.query(`{ account(id: "1") {
      name server { name address } safes { safe { name } listener { name } } grantedUsers { name }
      auditEntries(first: 5) { edges { node { createdAt jobName } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.account).toBeTruthy();
  });
});
