/**
 * Shared views under a small memory bound (VIEW_MEMORY_MB=1): answers stay correct, and the least recently used
 * credentials' views are dropped (a dropped credential's next operation lists again), the one in use never.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/simulator/index.js';
import { callSimulator } from '../support/seed.js';
import { type Stack, startStack } from '../support/stack.js';

const { pam } = DEMO_CREDENTIALS;
const TOKENS = Array.from({ length: 8 }, (_, i) => `pam-test-evict-${i}`);

let stack: Stack;
beforeAll(async () => {
  // 400 accounts make each credential's account view a few hundred kB by the estimate.
  stack = await startStack({
    mode: 'forward',
    simulators: {
      sizes: { accounts: 400, servers: 20, safes: 4, listeners: 4, users: 10, auditEntries: 100 },
    },
    settings: { views: true, viewMaxAgeMs: 60_000, viewMemoryMb: 1 },
  });
  for (const token of TOKENS) stack.sims.pam.addToken(token, pam.superadminName);
});
afterAll(() => stack.stop());

const QUERY = '{ accounts(first: 100) { edges { node { name server { name address } } } } }';
type Result = {
  accounts: { edges: Array<{ node: { name: string; server: { name: string; address: string } } }> };
};
const listsOf = (token: string) =>
  stack.sims.pam.requests
    .list()
    .filter((r) => r.path === '/api/system/accounts' && r.headers.authorization === token).length;

describe('views under a small memory bound', () => {
  it('answer correctly for every credential, dropping the least recently used ones', async () => {
    const upstream = await callSimulator<Array<{ name: string }>>(
      stack.sims.pam.url,
      'GET',
      '/api/system/accounts',
      {
        auth: pam.superadminToken,
      },
    );
    const expected = upstream.body.slice(0, 100).map((a) => a.name);
    for (const token of TOKENS) {
      const res = await stack.query<Result>(QUERY, undefined, { 'x-pam-token': token });
      expect(res.errors).toBeUndefined();
      expect(res.data?.accounts.edges.map((e) => e.node.name)).toEqual(expected);
    }
    // Every credential listed once so far.
    expect(TOKENS.map(listsOf)).toEqual(TOKENS.map(() => 1));
    // The first credential's views were dropped to make room: it lists again, well within the max age.
    const again = await stack.query<Result>(QUERY, undefined, { 'x-pam-token': TOKENS[0] ?? '' });
    expect(again.data?.accounts.edges.map((e) => e.node.name)).toEqual(expected);
    expect(listsOf(TOKENS[0] ?? '')).toBe(2);
    // The one just used is kept: asking again lists nothing more.
    await stack.query<Result>(QUERY, undefined, { 'x-pam-token': TOKENS[0] ?? '' });
    expect(listsOf(TOKENS[0] ?? '')).toBe(2);
  });
});
