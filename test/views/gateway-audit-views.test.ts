/**
 * Shared Audit views through the gateway (issue 11): one view per organisation once the upstream confirmed a key
 * belongs to it, a view of its own for a key that has seen no entry, matches filtered by the caller's own PAM
 * visibility, freshness within the max age (deletions within the reconcile interval), one build for concurrent
 * cold requests, revocation, and the fallback to bounded scans when a view does not fit. Every change is made in
 * the simulator directly, never through the gateway, except where a gateway write is the point.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/simulator/index.js';
import { callSimulator } from '../support/seed.js';
import { type Stack, startStack } from '../support/stack.js';

const MAX_AGE = 1000;
const RECONCILE = 2000;
const { pam, audit } = DEMO_CREDENTIALS;
const BASE = '/ux/nccm/jobs-account-audit/';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const as = (auditKey: string, pamToken: string = pam.superadminToken) => ({
  'x-pam-token': pamToken,
  'x-audit-key': auditKey,
});

interface RawEntry {
  id: string;
  organization: string;
  ipaddress: string;
  device_account: string;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    mode: 'forward',
    simulators: {
      sizes: { accounts: 80, servers: 15, safes: 6, listeners: 5, users: 12, auditEntries: 3000 },
    },
    settings: { views: true, viewMaxAgeMs: MAX_AGE, auditViewReconcileMs: RECONCILE },
  });
});
afterAll(() => stack.stop());
beforeEach(() => stack.resetRecords());

/** Every entry `key` sees upstream, newest first. */
async function upstreamEntries(key: string): Promise<RawEntry[]> {
  const all: RawEntry[] = [];
  for (let page = 1; ; page++) {
    const { body } = await callSimulator<RawEntry[]>(
      stack.sims.audit.url,
      'GET',
      `${BASE}?items_per_page=500&page=${page}&sort=creationtime&reverse=true`,
      { auth: key },
    );
    all.push(...body);
    if (body.length < 500) return all;
  }
}

type Entries = { auditEntries: { edges: Array<{ node: { auditId: string; organization: string } }> } | null };
const NEWEST =
  'query($first: Int) { auditEntries(first: $first) { edges { node { auditId organization } } } }';

async function newest(headers: Record<string, string>, first = 100) {
  const res = await stack.query<Entries>(NEWEST, { first }, headers);
  expect(res.errors).toBeUndefined();
  return res.data?.auditEntries?.edges.map((e) => e.node) ?? [];
}

const createUpstream = async (key: string, organization: string, fields: Record<string, string> = {}) =>
  (
    await callSimulator<RawEntry>(stack.sims.audit.url, 'POST', BASE, {
      auth: key,
      body: { organization, job_name: 'view-test', ...fields },
    })
  ).body;

/** Audit list requests of the record: full-pass pages (ascending by creation, 500 each) and the others. */
function auditLists() {
  const lists = stack.sims.audit.requests.list().filter((r) => r.path === BASE && r.method === 'GET');
  const params = lists.map((r) => new Map(Object.entries(r.query)));
  return { all: lists, params };
}

describe('organisations', () => {
  it('100 concurrent cold requests build the organisation’s view once; a second key of it shares the view', async () => {
    const expected = (await upstreamEntries(audit.secondaryKey)).slice(0, 20).map((e) => e.id);
    stack.resetRecords();
    let firstAnswerAt = Number.POSITIVE_INFINITY;
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        newest(as(audit.secondaryKey), 20).then((r) => {
          firstAnswerAt = Math.min(firstAnswerAt, performance.now());
          return r;
        }),
      ),
    );
    for (const r of results) expect(r.map((e) => e.auditId)).toEqual(expected);
    // What the cold requests caused, up to the first answer: later requests are background refreshes that a loaded
    // machine can reach within the 100 requests (the max age here is 1 s).
    const cold = auditLists().all.filter((r) => r.startedAt < firstAnswerAt);
    const params = cold.map((r) => new Map(Object.entries(r.query)));
    const passPages = params
      .filter((p) => p.get('items_per_page') === '500' && p.get('reverse') === 'false')
      .map((p) => Number(p.get('page')));
    // One build: every page of the pass requested once, and no other full pass.
    expect(passPages.length).toBeGreaterThanOrEqual(2);
    expect(new Set(passPages).size).toBe(passPages.length);
    const confirmations = params.filter((p) => p.get('items_per_page') === '1');
    expect(confirmations).toHaveLength(1);

    stack.resetRecords();
    const second = await newest(as(audit.secondarySecondKey), 20);
    expect(second.map((e) => e.auditId)).toEqual(expected);
    // The second key was confirmed with one cheap request and then served from the shared view: no pass of its own.
    // (An incremental sync of the shared view, 100 per page, may fall in this window on a slow machine.)
    const secondRequests = auditLists().params.map((p) => p.get('items_per_page'));
    expect(secondRequests.filter((n) => n === '1')).toHaveLength(1);
    expect(secondRequests.filter((n) => n !== '1' && n !== '100')).toEqual([]);
  });

  it('two organisations never see each other’s entries; each sees exactly its own', async () => {
    const [acme, globex] = await Promise.all([
      upstreamEntries(audit.primaryKey),
      upstreamEntries(audit.secondaryKey),
    ]);
    for (let round = 0; round < 3; round++) {
      const [a, g] = await Promise.all([newest(as(audit.primaryKey)), newest(as(audit.secondaryKey))]);
      expect(a.map((e) => e.auditId)).toEqual(acme.slice(0, 100).map((e) => e.id));
      expect(g.map((e) => e.auditId)).toEqual(globex.slice(0, 100).map((e) => e.id));
      expect(new Set(a.map((e) => e.organization))).toEqual(new Set([audit.primaryOrganization]));
      expect(new Set(g.map((e) => e.organization))).toEqual(new Set([audit.secondaryOrganization]));
    }
  });

  it('a key that has seen no entry keeps a view of its own, then sees exactly its organisation’s first entry', async () => {
    stack.sims.audit.addKey('audit-test-initech', 'initech');
    const initech = as('audit-test-initech');
    // Interleaved with another organisation's requests: nothing of acme's ever reaches the empty key.
    const [empty, acme] = await Promise.all([newest(initech), newest(as(audit.primaryKey))]);
    expect(empty).toEqual([]);
    expect(acme.length).toBeGreaterThan(0);
    const created = await createUpstream('audit-test-initech', 'initech');
    let seen: Array<{ auditId: string }> = [];
    const deadline = Date.now() + MAX_AGE + 1500;
    while (Date.now() < deadline && seen.length === 0) {
      seen = await newest(initech);
      if (seen.length === 0) await sleep(100);
    }
    expect(seen.map((e) => e.auditId)).toEqual([created.id]);
  });

  it('AUDIT_VIEW_SHARING=key keeps one view per key: a second key of the same organisation builds its own', async () => {
    const own = await startStack({
      mode: 'forward',
      simulators: {
        sizes: { accounts: 20, servers: 5, safes: 2, listeners: 2, users: 4, auditEntries: 1200 },
      },
      settings: { views: true, viewMaxAgeMs: 60_000, auditViewSharing: 'key' },
    });
    try {
      const passes = () =>
        own.sims.audit.requests
          .list()
          .filter((r) => r.path === BASE && r.query.page === '1' && r.query.reverse === 'false').length;
      await own.query(NEWEST, { first: 5 }, as(audit.primaryKey));
      await own.query(NEWEST, { first: 5 }, as(audit.primaryKey));
      expect(passes()).toBe(1);
      const second = await own.query<Entries>(NEWEST, { first: 5 }, as(audit.primarySecondKey));
      expect(second.data?.auditEntries?.edges).toHaveLength(5);
      expect(passes()).toBe(2);
    } finally {
      await own.stop();
    }
  });
});

describe('freshness', () => {
  it('a new entry is visible within the max age; no-cache sees it at once', async () => {
    await newest(as(audit.primaryKey));
    const created = await createUpstream(audit.primaryKey, audit.primaryOrganization);
    const nocache = await newest({ ...as(audit.primaryKey), 'cache-control': 'no-cache' }, 5);
    expect(nocache[0]?.auditId).toBe(created.id);
    await sleep(MAX_AGE + 50);
    expect((await newest(as(audit.primaryKey), 5))[0]?.auditId).toBe(created.id);
  });

  it('a write through the gateway is visible in the next operation', async () => {
    await newest(as(audit.primaryKey));
    const res = await stack.query<{ createAuditEntry: { auditEntry?: { auditId: string } } }>(
      `mutation { createAuditEntry(input: { organization: "${audit.primaryOrganization}", jobName: "via-gateway" }) {
        ... on CreateAuditEntryPayload { auditEntry { auditId } } } }`,
      undefined,
      as(audit.primaryKey),
    );
    const id = res.data?.createAuditEntry.auditEntry?.auditId;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect((await newest(as(audit.primaryKey), 5))[0]?.auditId).toBe(id);
  });

  it('an entry deleted upstream disappears within the reconcile interval', async () => {
    const victim = (await upstreamEntries(audit.primaryKey))[7] as RawEntry;
    expect((await newest(as(audit.primaryKey))).map((e) => e.auditId)).toContain(victim.id);
    await callSimulator(stack.sims.audit.url, 'DELETE', `${BASE}${victim.id}/`, { auth: audit.primaryKey });
    let ids: string[] = [victim.id];
    const deadline = Date.now() + RECONCILE + 2 * MAX_AGE + 3000;
    while (Date.now() < deadline && ids.includes(victim.id)) {
      await sleep(200);
      ids = (await newest(as(audit.primaryKey))).map((e) => e.auditId);
    }
    expect(ids).not.toContain(victim.id);
    expect(ids).toEqual((await upstreamEntries(audit.primaryKey)).slice(0, 100).map((e) => e.id));
  });
});

type Matched = {
  auditEntries: {
    edges: Array<{ node: { auditId: string; accounts: Array<{ pamId: string }> | null } }>;
  } | null;
};
const MATCHED = '{ auditEntries(first: 100) { edges { node { auditId accounts { pamId } } } } }';

describe('matching by PAM scope', () => {
  it('an operator and a superadmin sharing one Audit key each see the matches their own PAM credential allows', async () => {
    const answer = async (headers: Record<string, string>) => {
      const res = await stack.query<Matched>(MATCHED, undefined, headers);
      expect(res.errors).toBeUndefined();
      return res.data?.auditEntries?.edges.map(
        (e) => `${e.node.auditId}:${e.node.accounts?.map((a) => a.pamId)}`,
      );
    };
    const admin = as(audit.primaryKey, pam.superadminToken);
    const operator = as(audit.primaryKey, pam.operatorToken);
    // Interleaved through the shared views, then each compared with its own per-request answer.
    const [a, o] = await Promise.all([answer(admin), answer(operator)]);
    const [a2, o2] = await Promise.all([answer(operator), answer(admin)]);
    expect(a2).toEqual(o);
    expect(o2).toEqual(a);
    expect(a).toEqual(await answer({ ...admin, 'cache-control': 'no-cache' }));
    expect(o).toEqual(await answer({ ...operator, 'cache-control': 'no-cache' }));
    // Positive control: the two credentials see different matches for at least one entry.
    expect(a).not.toEqual(o);
  });

  it('an account’s trail is complete and equals the per-request scan', async () => {
    const query = `query($id: ID!) { account(id: $id) { auditEntries(first: 100) { truncated edges { node { auditId } } } } }`;
    type Trail = {
      account: { auditEntries: { truncated: boolean; edges: Array<{ node: { auditId: string } }> } };
    };
    let compared = 0;
    for (const id of ['1', '2', '3', '4', '5', '6', '7', '8']) {
      const viewed = await stack.query<Trail>(query, { id }, as(audit.primaryKey));
      const scanned = await stack.query<Trail>(
        query,
        { id },
        { ...as(audit.primaryKey), 'cache-control': 'no-cache' },
      );
      expect(viewed.data).toEqual(scanned.data);
      compared += viewed.data?.account.auditEntries.edges.length ?? 0;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('revocation', () => {
  it('a revoked key is refused within the max age; another key of its organisation keeps working', async () => {
    stack.sims.audit.addKey('audit-test-revoked', audit.primaryOrganization);
    expect((await newest(as('audit-test-revoked'))).length).toBeGreaterThan(0);
    stack.sims.audit.revokeKey('audit-test-revoked');
    await sleep(MAX_AGE + 50);
    const refused = await stack.query<Entries>(NEWEST, { first: 5 }, as('audit-test-revoked'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await newest(as(audit.primaryKey), 5)).length).toBe(5);
  });
});

describe('memory', () => {
  it('an Audit view that cannot fit falls back to bounded scans, with correct answers', async () => {
    const small = await startStack({
      mode: 'forward',
      simulators: {
        sizes: { accounts: 20, servers: 5, safes: 2, listeners: 2, users: 4, auditEntries: 4000 },
      },
      settings: { views: true, viewMemoryMb: 1 },
    });
    try {
      const expected = (
        await callSimulator<RawEntry[]>(
          small.sims.audit.url,
          'GET',
          `${BASE}?items_per_page=30&page=1&sort=creationtime&reverse=true`,
          { auth: audit.primaryKey },
        )
      ).body.map((e) => e.id);
      for (let round = 0; round < 2; round++) {
        const res = await small.query<Entries>(NEWEST, { first: 30 }, as(audit.primaryKey));
        expect(res.errors).toBeUndefined();
        expect(res.data?.auditEntries?.edges.map((e) => e.node.auditId)).toEqual(expected);
      }
      expect(small.logs.text).toContain('scanning instead');
    } finally {
      await small.stop();
    }
  });
});
