/**
 * The batching rules one by one, proven by the simulators' request records: by-id loads choose the cheaper
 * of one GET per id and paging the list; scans are shared by every parent of an operation; audit scans stop
 * early, or at their limit and say so; one level's fetches really go out together; no GET is sent twice.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AccountAuditTruncatedDocument,
  AccountFirstAuditEntryDocument,
  AccountsGrantedUsersDocument,
  AccountsServerNamesDocument,
  AccountsWithSafesDocument,
  NewestAuditEntryAccountsDocument,
  SameThingsManyWaysDocument,
  ServersWithAuditEntriesDocument,
} from '../gql/graphql.js';
import { type Stack, startStack, upstreamGet } from '../support/stack.js';

interface Ref {
  id: number;
  name: string;
}

let stack: Stack;
let accounts: Array<Ref & { server_id: number; credentials: { login: string } | null }>;

beforeAll(async () => {
  // Small pages make multi-page behaviour visible on a small data set.
  stack = await startStack({
    simulators: {
      sizes: { accounts: 120, servers: 20, safes: 8, listeners: 5, users: 15, auditEntries: 3000 },
    },
    settings: { pamPageSize: 25, pamPageConcurrency: 2, auditScanConcurrency: 2 },
  });
  accounts = await upstreamGet(
    stack.sims.pam.url,
    '/api/system/accounts',
    stack.sims.credentials.pam.superadminToken,
  );
});
afterAll(() => stack.stop());
beforeEach(() => stack.resetRecords());

const pamPaths = () => stack.sims.pam.requests.list().map((r) => `${r.path}?${new URLSearchParams(r.query)}`);
/** Built per case (one aliased field per id), so it stays a string rather than a typed document. */
const byIds = (ids: number[]) =>
  `{ ${ids.map((id, i) => `a${i}: account(id: "${id}") { name type }`).join(' ')} }`;

describe('by-id loads choose the cheaper way', () => {
  it('a few ids: one GET per id, sent together', async () => {
    const ids = [3, 60, 110];
    stack.sims.pam.setLatency(50); // long enough for requests sent together to overlap visibly
    const res = await stack
      .query<Record<string, { name: string }>>(byIds(ids))
      .finally(() => stack.sims.pam.setLatency(0));
    expect(Object.values(res.data ?? {}).map((a) => a.name)).toEqual(ids.map((id) => accounts[id - 1]?.name));
    expect(pamPaths().sort()).toEqual(ids.map((id) => `/api/system/accounts/${id}?`).sort());
    expect(stack.sims.pam.requests.maxConcurrency()).toBe(3);
  });

  it('many low ids: pages of the list instead, stopping once every id is found', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1); // all within the first page of 25
    const res = await stack.query<Record<string, { name: string }>>(byIds(ids));
    expect(Object.values(res.data ?? {}).map((a) => a.name)).toEqual(ids.map((id) => accounts[id - 1]?.name));
    expect(pamPaths()).toEqual(['/api/system/accounts?page=1&page_size=25']);
  });

  it('ids spread over the list: pages only as far as the highest id', async () => {
    const ids = [2, 9, 30, 41, 52, 70];
    const res = await stack.query<Record<string, { name: string }>>(byIds(ids));
    expect(Object.values(res.data ?? {}).map((a) => a.name)).toEqual(ids.map((id) => accounts[id - 1]?.name));
    const pages = pamPaths();
    expect(pages.every((p) => p.startsWith('/api/system/accounts?page='))).toBe(true);
    expect(pages.length).toBeLessThan(ids.length);
    expect(pages).not.toContain('/api/system/accounts?page=4&page_size=25'); // ids ≤ 70 end on page 3
  });

  it('ids the list skipped over are ruled out (absent or invisible), without a GET of their own', async () => {
    const { operatorToken } = stack.sims.credentials.pam;
    const visible = new Set(
      (await upstreamGet<Ref[]>(stack.sims.pam.url, '/api/system/accounts', operatorToken)).map((a) => a.id),
    );
    stack.resetRecords();
    const ids = Array.from({ length: 12 }, (_, i) => i + 1);
    const res = await stack.query<Record<string, { name: string } | null>>(byIds(ids), undefined, {
      'x-pam-token': operatorToken,
    });
    expect(res.errors).toBeUndefined();
    const got = ids.map((_, i) => res.data?.[`a${i}`] ?? null);
    expect(got.map((a) => a !== null)).toEqual(ids.map((id) => visible.has(id)));
    expect(got.some((a) => a === null)).toBe(true);
    expect(pamPaths().some((p) => p.startsWith('/api/system/accounts/'))).toBe(false);
  });
});

describe('references the PAM API embeds', () => {
  it("an account's server name comes from the account itself: no server request", async () => {
    const res = await stack.query(AccountsServerNamesDocument);
    const sent = pamPaths();
    const rows = res.data?.accounts?.edges.map((e) => [e.node.name, e.node.server?.name]);
    const servers = new Map(
      (
        await upstreamGet<Ref[]>(
          stack.sims.pam.url,
          '/api/system/servers',
          stack.sims.credentials.pam.superadminToken,
        )
      ).map((s) => [s.id, s.name]),
    );
    const raw = accounts.slice(0, 50);
    expect(rows).toEqual(raw.map((a) => [a.name, servers.get(a.server_id)]));
    // Only the account list was asked for: every server name came with its account.
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((p) => p.startsWith('/api/system/accounts?'))).toBe(true);
  });
});

describe('scans are shared and bounded', () => {
  it('Server.auditEntries for many servers reads each audit page once', async () => {
    const res = await stack.query(ServersWithAuditEntriesDocument);
    expect(res.errors).toBeUndefined();
    expect(res.data?.servers?.edges.some((e) => (e.node.auditEntries?.edges.length ?? 0) > 0)).toBe(true);
    const pages = stack.sims.audit.requests.list().map((r) => r.query.page);
    expect(new Set(pages).size).toBe(pages.length); // no page twice
    expect(pages.length).toBeLessThanOrEqual(3000 / 500 + 2);
  });

  it('Account.safes for many accounts lists each safe’s assignments once', async () => {
    const res = await stack.query(AccountsWithSafesDocument);
    expect(res.errors).toBeUndefined();
    const safeLists = pamPaths().filter((p) => /^\/api\/system\/safes\/\d+\/accounts/.test(p));
    expect(new Set(safeLists).size).toBe(safeLists.length);
    expect(safeLists.length).toBe(8);
  });

  it('an audit scan stops at the first wave once the parent has its page', async () => {
    // The account matched by the newest entry has an entry on the first page of the log.
    const newest = await stack.query(NewestAuditEntryAccountsDocument);
    const accountId = newest.data?.auditEntries?.edges.flatMap((e) => e.node.accounts ?? [])[0]?.pamId;
    expect(accountId).toBeDefined();
    stack.resetRecords();
    const res = await stack.query(AccountFirstAuditEntryDocument, { id: String(accountId) });
    expect(res.data?.account?.auditEntries?.edges).toHaveLength(1);
    // One wave of 2 pages (AUDIT_SCAN_CONCURRENCY) out of the log's 6.
    expect(
      stack.sims.audit.requests
        .list()
        .map((r) => r.query.page)
        .sort(),
    ).toEqual(['1', '2']);
  });

  it('a scan that hits AUDIT_SCAN_MAX_ENTRIES stops there and says truncated', async () => {
    const limited = await startStack({
      simulators: {
        sizes: { accounts: 60, servers: 10, safes: 4, listeners: 4, users: 10, auditEntries: 3000 },
      },
      settings: { auditScanMaxEntries: 1000, auditScanConcurrency: 2 },
    });
    try {
      const res = await limited.query(AccountAuditTruncatedDocument, {
        id: String(accounts.find((a) => a.credentials)?.id ?? 1),
      });
      expect(res.errors).toBeUndefined();
      expect(res.data?.account?.auditEntries?.truncated).toBe(true);
      // 1,000 entries = 2 pages of 500, then one entry past the limit to tell a log that ends there from a longer one.
      const sizes = limited.sims.audit.requests.list().map((r) => Number(r.query.items_per_page));
      expect(sizes).toEqual([500, 500, 1]);
    } finally {
      await limited.stop();
    }
  });
});

describe('one level goes out together, and nothing twice', () => {
  it('granted users of 50 accounts are fetched concurrently', async () => {
    // Latency long enough that all 50 are in flight together even when a loaded CI machine sends them slowly.
    stack.sims.pam.setLatency(400);
    try {
      await stack.query(AccountsGrantedUsersDocument);
    } finally {
      stack.sims.pam.setLatency(0);
    }
    expect(stack.sims.pam.requests.maxConcurrency()).toBeGreaterThanOrEqual(50);
  });

  it('an operation asking for the same things many ways sends no GET twice', async () => {
    const res = await stack.query(SameThingsManyWaysDocument);
    expect(res.errors).toBeUndefined();
    const all = [...stack.sims.pam.requests.list(), ...stack.sims.audit.requests.list()].map(
      (r) => `${r.path}?${new URLSearchParams(r.query)}`,
    );
    expect(all.length - new Set(all).size).toBe(0);
  });
});
