/**
 * One query end to end: config → context → loaders → upstream clients (undici) → simulators, and back.
 * Data is compared with what the simulators hold (read directly), and the upstream cost with their record.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FirstAccountsDocument,
  type FirstAccountsQuery,
  NewestAuditEntriesDocument,
  NodeByIdDocument,
} from '../gql/graphql.js';
import { type GraphQLResponse, type Stack, startStack, upstreamGet } from '../support/stack.js';

interface RawAccount {
  id: number;
  name: string;
  type: string;
  blocked: boolean;
}
interface RawAuditEntry {
  id: string;
  creationtime: string;
  job_name: string;
  dpassword: string;
  denable_password: string;
}

let stack: Stack;
let allAccounts: RawAccount[];

beforeAll(async () => {
  stack = await startStack();
  allAccounts = await upstreamGet<RawAccount[]>(
    stack.sims.pam.url,
    '/api/system/accounts',
    stack.sims.credentials.pam.superadminToken,
  );
});
afterAll(() => stack.stop());
beforeEach(() => stack.resetRecords());

describe('accounts(first:)', () => {
  it('returns the first accounts of the PAM list, in id order, with one upstream request', async () => {
    const res = await stack.query(FirstAccountsDocument, { first: 3 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data?.accounts?.edges.map((e) => e.node) ?? [];
    expect(nodes.map((n) => n.name)).toEqual(allAccounts.slice(0, 3).map((a) => a.name));
    expect(nodes.map((n) => n.pamId)).toEqual(allAccounts.slice(0, 3).map((a) => String(a.id)));
    expect(nodes.map((n) => n.type)).toEqual(allAccounts.slice(0, 3).map((a) => a.type.toUpperCase()));
    expect(res.data?.accounts?.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const calls = stack.sims.pam.requests.list();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: '/api/system/accounts',
      query: { page: '1', page_size: '4' },
    });
  });

  it('continues after a cursor exactly where the previous page stopped, to the end of the list', async () => {
    const seen: string[] = [];
    let after: string | null | undefined = null;
    for (let pages = 0; pages < 10; pages++) {
      const res: GraphQLResponse<FirstAccountsQuery> = await stack.query(FirstAccountsDocument, {
        first: 7,
        after,
      });
      expect(res.errors).toBeUndefined();
      const connection: FirstAccountsQuery['accounts'] | undefined = res.data?.accounts;
      seen.push(...(connection?.edges.map((e) => e.node.name) ?? []));
      if (!connection?.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(allAccounts.map((a) => a.name));
  });

  it('rejects first over the maximum with BAD_USER_INPUT before any upstream request', async () => {
    const res = await stack.query(FirstAccountsDocument, { first: 101 });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sims.pam.requests.count).toBe(0);
  });

  it('rejects a forged cursor with BAD_USER_INPUT', async () => {
    const res = await stack.query(FirstAccountsDocument, { first: 2, after: 'not-a-cursor' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sims.pam.requests.count).toBe(0);
  });

  it('refetches an account by its global ID through node(id:)', async () => {
    const first = await stack.query(FirstAccountsDocument, { first: 1 });
    const id = first.data?.accounts?.edges[0]?.node.id ?? '';
    stack.resetRecords();
    const res = await stack.query(NodeByIdDocument, { id });
    expect(res.data?.node).toMatchObject({ __typename: 'Account', id, name: allAccounts[0]?.name });
    expect(stack.sims.pam.requests.list().map((r) => r.path)).toEqual([
      `/api/system/accounts/${allAccounts[0]?.id}`,
    ]);
  });
});

describe('auditEntries(first:)', () => {
  it('returns the newest entries of the caller’s organisation without any password', async () => {
    const key = stack.sims.credentials.audit.primaryKey;
    const raw = await upstreamGet<RawAuditEntry[]>(
      stack.sims.audit.url,
      '/ux/nccm/jobs-account-audit/?items_per_page=5&page=1&sort=creationtime&reverse=true',
      key,
    );
    stack.resetRecords();
    const res = await stack.query(NewestAuditEntriesDocument, { first: 5 });
    expect(res.errors).toBeUndefined();
    const nodes = res.data?.auditEntries?.edges.map((e) => e.node) ?? [];
    expect(nodes.map((n) => n.auditId)).toEqual(raw.map((r) => r.id));
    expect(nodes.map((n) => n.jobName)).toEqual(raw.map((r) => r.job_name || null));
    expect(nodes.map((n) => n.hasDevicePassword)).toEqual(raw.map((r) => r.dpassword !== ''));
    expect(nodes.map((n) => n.hasEnablePassword)).toEqual(raw.map((r) => r.denable_password !== ''));
    for (const entry of raw) {
      if (entry.dpassword) expect(res.text).not.toContain(entry.dpassword);
      if (entry.denable_password) expect(res.text).not.toContain(entry.denable_password);
    }
    const times = nodes.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(stack.sims.audit.requests.count).toBe(1);
  });
});

describe('request ids and logs', () => {
  it('echoes a sane caller request id, sends it upstream and logs the operation with its upstream cost', async () => {
    const res = await stack.query(FirstAccountsDocument, { first: 2 }, { 'x-request-id': 'test-req-42' });
    expect(res.headers.get('x-request-id')).toBe('test-req-42');
    expect(stack.sims.pam.requests.list()[0]?.headers['x-request-id']).toBe('test-req-42');
    const line = stack.logs.lines
      .map((l) => JSON.parse(l))
      .find((l) => l.requestId === 'test-req-42' && l.msg === 'operation');
    expect(line).toMatchObject({ upstreamRequests: 1, operationName: 'FirstAccounts' });
  });
});
