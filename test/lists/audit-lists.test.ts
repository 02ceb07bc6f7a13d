/**
 * Filtering, ordering and counting audit entries (issue 12 §1 to §3), with views on and off. Expected answers are
 * computed here from the simulator's records, with code of this file: nothing is imported from src/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

type Raw = Record<string, string>;
interface Page {
  totalCount: number | null;
  truncated: boolean;
  edges: Array<{ cursor: string; node: { auditId: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const ms = (s: string | undefined) => {
  const t = Date.parse(s ?? '');
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
};
/** Newest first, ties by id descending. */
const newestFirst = (a: Raw, b: Raw) =>
  ms(b.creationtime) - ms(a.creationtime) || (a.id === b.id ? 0 : (a.id ?? '') < (b.id ?? '') ? 1 : -1);
const ipv4 = (text: string) => {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  return m ? ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]) : null;
};

describe.each([
  ['views off', false],
  ['views on', true],
])('audit entry lists with filter, orderBy and totalCount (%s)', (_label, views) => {
  let stack: Stack;
  let org: string;
  beforeAll(async () => {
    stack = await startStack({ settings: { views } });
    org = stack.sims.audit.state.keys.get(stack.sims.credentials.audit.primaryKey) ?? '';
  });
  afterAll(() => stack.stop());

  /** The organisation's entries as the simulator stores them. */
  const mine = () => stack.sims.audit.state.store.all().filter((e) => e.organization === org);

  async function walk(
    field: string,
    args: string,
    pageSize = 9,
  ): Promise<{ ids: string[]; total: number | null }> {
    const ids: string[] = [];
    let after: string | null = null;
    let total: number | null | undefined;
    for (let i = 0; i < 200; i++) {
      const a = `first: ${pageSize}${after ? `, after: "${after}"` : ''}${args ? `, ${args}` : ''}`;
      const res = await stack.query<{ auditEntries: Page }>(
        `{ auditEntries(${a}) { totalCount truncated edges { cursor node { auditId } } pageInfo { hasNextPage endCursor } } }`,
      );
      expect(res.errors).toBeUndefined();
      const p = res.data?.auditEntries as Page;
      expect(p.truncated).toBe(false);
      total ??= p.totalCount;
      ids.push(...p.edges.map((e) => e.node.auditId));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    void field;
    return { ids, total: total ?? null };
  }

  it('connection status (any of, any case), job type (any case) and createdAfter (strict), ordered by job name', async () => {
    const entries = mine();
    const statuses = [...new Set(entries.map((e) => e.connection_status).filter(Boolean))];
    const status = statuses[0] ?? '';
    const jobType = entries.find((e) => e.connection_status === status && e.job_type)?.job_type ?? '';
    const sorted = [...entries].sort(newestFirst);
    const pivot = sorted[Math.floor(sorted.length / 2)]?.creationtime ?? '';
    const expected = entries
      .filter(
        (e) =>
          lower(e.connection_status) === lower(status) &&
          lower(e.job_type) === lower(jobType) &&
          ms(e.creationtime) > ms(pivot),
      )
      .sort((a, b) => {
        const x = lower(a.job_name);
        const y = lower(b.job_name);
        return x < y ? -1 : x > y ? 1 : (a.id ?? '') < (b.id ?? '') ? -1 : 1;
      })
      .map((e) => e.id);
    expect(expected.length).toBeGreaterThan(1);
    const got = await walk(
      'auditEntries',
      `filter: { connectionStatus: ["${status.toUpperCase()}"], jobType: "${jobType.toUpperCase()}", createdAfter: "${pivot}" }, orderBy: { field: JOB_NAME, direction: ASC }`,
    );
    expect(got.ids).toEqual(expected);
    expect(got.total).toBe(expected.length);
  });

  it('createdBefore is strict; the default order is newest first; jobName contains', async () => {
    const entries = mine().sort(newestFirst);
    const pivot = entries[10]?.creationtime ?? '';
    const needle = (entries[3]?.job_name ?? '').slice(2, 5);
    const expected = entries
      .filter((e) => ms(e.creationtime) < ms(pivot) && lower(e.job_name).includes(lower(needle)))
      .map((e) => e.id);
    expect(expected.length).toBeGreaterThan(0);
    const got = await walk(
      'auditEntries',
      `filter: { createdBefore: "${pivot}", jobName: { contains: "${needle.toUpperCase()}" } }`,
    );
    expect(got.ids).toEqual(expected);
    expect(got.total).toBe(expected.length);
    // Strict at both ends: the entry at the pivot instant is in neither list.
    const after = await walk('auditEntries', `filter: { createdAfter: "${pivot}" }`, 100);
    expect(after.ids).toEqual(entries.filter((e) => ms(e.creationtime) > ms(pivot)).map((e) => e.id));
    expect(after.ids).not.toContain(entries[10]?.id);
    const before = await walk('auditEntries', `filter: { createdBefore: "${pivot}" }`, 100);
    expect(before.ids).not.toContain(entries[10]?.id);
  });

  it('device account compares exactly; ipAddress by IP and by CIDR', async () => {
    const entries = mine().sort(newestFirst);
    const account = entries.find((e) => /[a-z]/.test(e.device_account ?? ''))?.device_account ?? '';
    expect((await walk('auditEntries', `filter: { deviceAccount: "${account}" }`)).ids).toEqual(
      entries.filter((e) => e.device_account === account).map((e) => e.id),
    );
    expect((await walk('auditEntries', `filter: { deviceAccount: "${account.toUpperCase()}" }`)).ids).toEqual(
      entries.filter((e) => e.device_account === account.toUpperCase()).map((e) => e.id),
    );
    const ip = entries.find((e) => ipv4(e.ipaddress ?? '') !== null)?.ipaddress?.trim() ?? '';
    expect((await walk('auditEntries', `filter: { ipAddress: "${ip}" }`)).ids).toEqual(
      entries.filter((e) => ipv4(e.ipaddress ?? '') === ipv4(ip)).map((e) => e.id),
    );
    const net = Math.floor((ipv4(ip) ?? 0) / 2 ** 16);
    const inside = entries.filter((e) => {
      const v = ipv4(e.ipaddress ?? '');
      return v !== null && Math.floor(v / 2 ** 16) === net;
    });
    expect(inside.length).toBeGreaterThan(1);
    expect((await walk('auditEntries', `filter: { ipAddress: "${ip}/16" }`)).ids).toEqual(
      inside.map((e) => e.id),
    );
    const bad = await stack.query('{ auditEntries(filter: { ipAddress: "10.0.0.0/40" }) { totalCount } }');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('ordered by last update time descending, ties by id descending; counts the organisation only', async () => {
    const entries = mine();
    const expected = [...entries]
      .sort(
        (a, b) => ms(b.last_update_time) - ms(a.last_update_time) || ((a.id ?? '') < (b.id ?? '') ? 1 : -1),
      )
      .map((e) => e.id);
    const got = await walk('auditEntries', 'orderBy: { field: LAST_UPDATE_TIME, direction: DESC }', 100);
    expect(got.ids).toEqual(expected);
    const plain = await stack.query<{ auditEntries: Page }>('{ auditEntries(first: 1) { totalCount } }');
    expect(plain.data?.auditEntries.totalCount).toBe(entries.length);
    expect(entries.length).toBeLessThan(stack.sims.audit.state.store.size);
  });

  it('an account’s trail filters and counts within the trail', async () => {
    const res = await stack.query<{
      accounts: { edges: Array<{ node: { pamId: string; auditEntries: Page } }> };
    }>(
      '{ accounts(first: 60) { edges { node { pamId auditEntries(first: 100) { totalCount edges { node { auditId } } } } } } }',
    );
    expect(res.errors).toBeUndefined();
    const withTrail = res.data?.accounts.edges.find((e) => e.node.auditEntries.edges.length > 3);
    if (!withTrail) throw new Error('no account of the demo data has a trail');
    const trail = withTrail.node.auditEntries.edges.map((e) => e.node.auditId);
    expect(withTrail.node.auditEntries.totalCount).toBe(trail.length);
    const byId = new Map(stack.sims.audit.state.store.all().map((e) => [e.id, e]));
    const status = byId.get(trail[0] ?? '')?.connection_status ?? '';
    const expected = trail.filter((id) => lower(byId.get(id)?.connection_status) === lower(status));
    const filtered = await stack.query<{ account: { auditEntries: Page } }>(
      `{ account(id: "${withTrail.node.pamId}") { auditEntries(first: 100, filter: { connectionStatus: ["${status}"] }) { totalCount truncated edges { node { auditId } } } } }`,
    );
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data?.account.auditEntries.edges.map((e) => e.node.auditId)).toEqual(expected);
    expect(filtered.data?.account.auditEntries.totalCount).toBe(expected.length);
  });

  it('a cursor of an audit list is bound to its filter and order', async () => {
    const first = await stack.query<{ auditEntries: Page }>(
      '{ auditEntries(first: 2, orderBy: { field: JOB_NAME, direction: ASC }) { pageInfo { endCursor } } }',
    );
    const cursor = first.data?.auditEntries.pageInfo.endCursor;
    const misuse = await stack.query(
      `{ auditEntries(first: 2, after: "${cursor}", orderBy: { field: JOB_NAME, direction: DESC }) { totalCount } }`,
    );
    expect(misuse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A date is part of the binding too.
    const dated = await stack.query<{ auditEntries: Page }>(
      '{ auditEntries(first: 2, filter: { createdAfter: "2020-01-01T00:00:00Z" }) { pageInfo { endCursor } } }',
    );
    const datedCursor = dated.data?.auditEntries.pageInfo.endCursor;
    const sameDate = await stack.query(
      `{ auditEntries(first: 2, after: "${datedCursor}", filter: { createdAfter: "2020-01-01T00:00:00.000Z" }) { totalCount } }`,
    );
    expect(sameDate.errors).toBeUndefined();
    const otherDate = await stack.query(
      `{ auditEntries(first: 2, after: "${datedCursor}", filter: { createdAfter: "2021-01-01T00:00:00Z" }) { totalCount } }`,
    );
    expect(otherDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // An empty filter is no filter.
    const plain = await stack.query<{ auditEntries: Page }>(
      '{ auditEntries(first: 2) { pageInfo { endCursor } } }',
    );
    const empty = await stack.query(
      `{ auditEntries(first: 2, after: "${plain.data?.auditEntries.pageInfo.endCursor}", filter: {}) { totalCount } }`,
    );
    expect(empty.errors).toBeUndefined();
  });
});

describe('audit lists with views off over a log larger than the scan limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      settings: { views: false, auditScanMaxEntries: 500 },
      simulators: { sizes: { auditEntries: 1500 } },
    });
  });
  afterAll(() => stack.stop());

  it('answers truncated with a null count when the scan stops at the limit', async () => {
    const res = await stack.query<{ auditEntries: Page }>(
      '{ auditEntries(first: 5, filter: { jobName: { contains: "a" } }) { totalCount truncated edges { node { auditId } } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.auditEntries.truncated).toBe(true);
    expect(res.data?.auditEntries.totalCount).toBeNull();
  });

  it('a filtered page in the default order reads only as far as its page, complete, when no count is asked', async () => {
    const org = stack.sims.audit.state.keys.get(stack.sims.credentials.audit.primaryKey);
    const failed = stack.sims.audit.state.store
      .all()
      .filter((e) => e.organization === org && e.connection_status === 'failed')
      .sort(newestFirst)
      .slice(0, 3)
      .map((e) => e.id);
    const res = await stack.query<{ auditEntries: Page }>(
      '{ auditEntries(first: 3, filter: { connectionStatus: ["failed"] }) { truncated edges { node { auditId } } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.auditEntries.truncated).toBe(false);
    expect(res.data?.auditEntries.edges.map((e) => e.node.auditId)).toEqual(failed);
  });

  it('a count asked of a plain page says truncated when its scan stops at the limit', async () => {
    const counted = await stack.query<{ auditEntries: Page }>(
      '{ auditEntries(first: 5) { totalCount truncated edges { node { auditId } } } }',
    );
    expect(counted.errors).toBeUndefined();
    expect(counted.data?.auditEntries.totalCount).toBeNull();
    expect(counted.data?.auditEntries.truncated).toBe(true);
    expect(counted.data?.auditEntries.edges).toHaveLength(5);
    // Without the count, the page alone is complete.
    const plain = await stack.query<{ auditEntries: Page }>('{ auditEntries(first: 5) { truncated } }');
    expect(plain.data?.auditEntries.truncated).toBe(false);
  });

  it('fails clearly when the scan would exceed the request budget', async () => {
    const small = await startStack({
      settings: { views: false, upstreamRequestBudget: 2 },
      simulators: { sizes: { auditEntries: 1500 } },
    });
    try {
      const res = await small.query(
        '{ auditEntries(first: 5, orderBy: { field: JOB_NAME, direction: ASC }) { totalCount edges { node { auditId } } } }',
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BUDGET_EXCEEDED');
    } finally {
      await small.stop();
    }
  });
});

describe('with warm views, a filtered, ordered and counted page costs no upstream request', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ settings: { views: true } });
  });
  afterAll(() => stack.stop());

  it('audit entries, an account trail and accounts, each filtered, ordered and counted', async () => {
    const query = (status: string, direction: string) =>
      stack.query<{ auditEntries: Page; accounts: { totalCount: number } }>(
        `{ auditEntries(first: 10, filter: { connectionStatus: ["${status}"] }, orderBy: { field: JOB_NAME, direction: ${direction} }) { totalCount edges { node { auditId } } }
           accounts(first: 5, filter: { blocked: false }, orderBy: { field: NAME, direction: ${direction} }) { totalCount edges { node { name auditEntries(first: 3, filter: { connectionStatus: ["${status}"] }) { totalCount } } } } }`,
      );
    const warm = await query('success', 'ASC');
    expect(warm.errors).toBeUndefined();
    stack.resetRecords();
    const again = await query('failed', 'DESC');
    expect(again.errors).toBeUndefined();
    expect(again.data?.auditEntries.totalCount).toBeGreaterThan(0);
    expect(stack.sims.pam.requests.list()).toEqual([]);
    expect(stack.sims.audit.requests.list()).toEqual([]);
  });
});

describe('a scan that reads exactly to the limit, views off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      settings: { views: false, auditScanMaxEntries: 500 },
      simulators: { sizes: { auditEntries: 1500 } },
    });
  });
  afterAll(() => stack.stop());

  it('is complete when the log ends at the limit, and truncated one entry later', async () => {
    const { state } = stack.sims.audit;
    const org = state.keys.get(stack.sims.credentials.audit.primaryKey);
    const mine = state.store.all().filter((e) => e.organization === org);
    expect(mine.length).toBeGreaterThan(500);
    for (const e of mine.slice(500)) state.store.delete(e.id ?? '');
    const count = () =>
      stack.query<{ auditEntries: Page }>('{ auditEntries(first: 1) { totalCount truncated } }');
    const exact = await count();
    expect(exact.data?.auditEntries).toEqual({ totalCount: 500, truncated: false });
    const first = mine[0] as Raw;
    state.store.put({ ...first, id: state.newId() } as never);
    const over = await count();
    expect(over.data?.auditEntries).toEqual({ totalCount: null, truncated: true });
  });
});
