/**
 * Per-request loaders (VIEWS off, as in every suite outside test/views): concurrent requests with the operator's
 * and the superadmin's tokens each get exactly their own data. Nothing cached or batched for one caller may
 * answer another. The scoped rule with views on (the default): what one request fetched may answer another only
 * through a view of the same scope, the same PAM credential or the same confirmed Audit organisation, and matches
 * always follow the caller's own PAM visibility; test/views proves it (isolation of PAM scopes, organisations, a
 * key with no entry, matching by PAM scope). Both
 * "concurrent" and "not cached" are read from the PAM simulator's request record, never from a clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/simulator/index.js';
import { ViewDocument } from '../gql/graphql.js';
import { type Stack, startStack, upstreamGet } from '../support/stack.js';

interface Ref {
  id: number;
  name: string;
}

let stack: Stack;
let adminView: string[];
let operatorView: string[];
let hidden: Ref;

beforeAll(async () => {
  stack = await startStack({ mode: 'forward' });
  const { superadminToken, operatorToken } = stack.sims.credentials.pam;
  const all = await upstreamGet<Ref[]>(
    stack.sims.pam.url,
    '/api/system/accounts?page_size=100',
    superadminToken,
  );
  const mine = await upstreamGet<Ref[]>(
    stack.sims.pam.url,
    '/api/system/accounts?page_size=100',
    operatorToken,
  );
  adminView = all.map((a) => a.name);
  operatorView = mine.map((a) => a.name);
  hidden = all.find((a) => !mine.some((m) => m.id === a.id)) as Ref;
});
afterAll(() => stack.stop());

describe('concurrent callers', () => {
  it('each get exactly their own view, interleaved 40 times', async () => {
    expect(operatorView.length).toBeGreaterThan(0);
    expect(operatorView.length).toBeLessThan(adminView.length);
    const { superadminToken, operatorToken } = stack.sims.credentials.pam;
    stack.resetRecords();
    // Long enough that the callers' requests, sent together, are visibly in flight at the same time.
    stack.sims.pam.setLatency(50);
    const calls = Array.from({ length: 40 }, (_, i) => {
      const token = i % 2 === 0 ? superadminToken : operatorToken;
      return stack.query(ViewDocument, { hidden: String(hidden.id) }, { 'x-pam-token': token });
    });
    const results = await Promise.all(calls).finally(() => stack.sims.pam.setLatency(0));
    results.forEach((res, i) => {
      expect(res.errors).toBeUndefined();
      const names = res.data?.accounts?.edges.map((e) => e.node.name);
      if (i % 2 === 0) {
        expect(names).toEqual(adminView);
        expect(res.data?.hiddenOne?.name).toBe(hidden.name);
      } else {
        expect(names).toEqual(operatorView);
        expect(res.data?.hiddenOne).toBeNull();
      }
    });
    // No list was served from another request's cache: each operation paged the accounts with its own token.
    const lists = stack.sims.pam.requests.list().filter((r) => r.path === '/api/system/accounts');
    expect(lists.filter((r) => r.headers.authorization === superadminToken)).toHaveLength(20);
    expect(lists.filter((r) => r.headers.authorization === operatorToken)).toHaveLength(20);
    // The callers really were interleaved: some operator list was in flight while a superadmin list was.
    const overlap = (a: RecordedRequest, b: RecordedRequest) =>
      a.startedAt < b.endedAt && b.startedAt < a.endedAt;
    const adminLists = lists.filter((r) => r.headers.authorization === superadminToken);
    const operatorLists = lists.filter((r) => r.headers.authorization === operatorToken);
    expect(operatorLists.some((o) => adminLists.some((a) => overlap(o, a)))).toBe(true);
  });
});
