/**
 * docs/upstreams.md §3 through GraphQL, on a data set built for it: every matching case has an entry, and the
 * test states which servers and accounts each entry must match — by hand, not by re-running a matcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountAuditDocument,
  type AccountAuditQuery,
  AuditMatchesDocument,
  ServerAuditDocument,
} from '../gql/graphql.js';
import { SimulatorWriter } from '../support/seed.js';
import { type GraphQLResponse, type Stack, startStack } from '../support/stack.js';

let stack: Stack;
const ids: Record<string, number> = {};
/** Entry label → [expected server labels, expected account labels]. */
const EXPECTED: Record<string, [string[], string[]]> = {
  'exact ip, plain login, protocol narrows to ssh': [['S1'], ['A1']],
  'two servers on one address, no protocol: both': [
    ['S1', 'S2'],
    ['A1', 'A2'],
  ],
  'protocol in upper case narrows to telnet': [['S2'], ['A2']],
  'inside subnet, DOMAIN\\login': [['S3'], ['A3']],
  'inside subnet, login@domain (domain case differs)': [['S3'], ['A3']],
  'inside subnet, wrong domain': [['S3'], []],
  'ipv6 in another textual form': [['S4'], ['A4']],
  'address of no server': [[], []],
  'login differs in case only': [['S5'], []],
  'login case-sensitive: Root is another account': [['S1'], ['A6']],
  'unknown protocol text does not narrow': [
    ['S1', 'S2'],
    ['A1', 'A2'],
  ],
  'subnet network address is inside': [['S3'], []],
  'outside the subnet': [[], []],
};
const labels = new Map<string, string>(); // audit id → entry label

beforeAll(async () => {
  stack = await startStack({ simulators: { empty: true } });
  const { pam, audit } = stack.sims.credentials;
  const w = new SimulatorWriter(
    stack.sims.pam.url,
    pam.superadminToken,
    stack.sims.audit.url,
    audit.primaryKey,
  );
  ids.S1 = (await w.server('core-ssh', '10.1.0.5', 'ssh', 22)).id;
  ids.S2 = (await w.server('core-telnet', '10.1.0.5', 'telnet', 23)).id;
  ids.S3 = (await w.server('lab-net', '10.9.0.0', 'ssh', 22, 24)).id;
  ids.S4 = (await w.server('v6-host', '2001:db8::10', 'ssh', 22)).id;
  ids.S5 = (await w.server('win-host', '192.168.5.5', 'rdp', 3389)).id;
  ids.A1 = (await w.account('root@core-ssh', ids.S1, 'root')).id;
  ids.A2 = (await w.account('root@core-telnet', ids.S2, 'root')).id;
  ids.A3 = (await w.account('admin@lab', ids.S3, 'admin', 'CORP')).id;
  ids.A4 = (await w.account('svc@v6', ids.S4, 'svc_backup')).id;
  ids.A5 = (await w.account('Administrator@win', ids.S5, 'Administrator', 'CORP')).id;
  ids.A6 = (await w.account('upper-root@core-ssh', ids.S1, 'Root')).id;
  const entries: Array<[string, Record<string, string>]> = [
    [
      'exact ip, plain login, protocol narrows to ssh',
      { ipaddress: '10.1.0.5', device_account: 'root', connection_protocol: 'ssh' },
    ],
    ['two servers on one address, no protocol: both', { ipaddress: '10.1.0.5', device_account: 'root' }],
    [
      'protocol in upper case narrows to telnet',
      { ipaddress: '10.1.0.5', device_account: 'root', connection_protocol: 'TELNET' },
    ],
    [
      'inside subnet, DOMAIN\\login',
      { ipaddress: '10.9.0.77', device_account: 'CORP\\admin', connection_protocol: 'ssh' },
    ],
    [
      'inside subnet, login@domain (domain case differs)',
      { ipaddress: '10.9.0.77', device_account: 'admin@corp' },
    ],
    ['inside subnet, wrong domain', { ipaddress: '10.9.0.77', device_account: 'OTHER\\admin' }],
    ['ipv6 in another textual form', { ipaddress: '2001:DB8:0:0::10', device_account: 'svc_backup' }],
    ['address of no server', { ipaddress: '10.1.0.6', device_account: 'root' }],
    ['login differs in case only', { ipaddress: '192.168.5.5', device_account: 'administrator' }],
    [
      'login case-sensitive: Root is another account',
      { ipaddress: '10.1.0.5', device_account: 'Root', connection_protocol: 'ssh' },
    ],
    [
      'unknown protocol text does not narrow',
      { ipaddress: '10.1.0.5', device_account: 'root', connection_protocol: 'netconf' },
    ],
    ['subnet network address is inside', { ipaddress: '10.9.0.0', device_account: 'nobody' }],
    ['outside the subnet', { ipaddress: '10.9.1.1', device_account: 'admin' }],
  ];
  for (const [label, fields] of entries) {
    const created = await w.audit(audit.primaryOrganization, fields);
    labels.set(created.id, label);
    // Distinct creation times keep "newest first" unambiguous.
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  // Another organisation's entry that would match A1: the primary key must never see it.
  await w.audit(
    audit.secondaryOrganization,
    { ipaddress: '10.1.0.5', device_account: 'root' },
    audit.secondaryKey,
  );
});
afterAll(() => stack.stop());

const label = (pamIds: string[], prefix: 'S' | 'A') =>
  pamIds.map(
    (id) => Object.entries(ids).find(([k, v]) => k.startsWith(prefix) && String(v) === id)?.[0] ?? `?${id}`,
  );

describe('§3 AuditEntry.servers and AuditEntry.accounts', () => {
  it('matches every entry to exactly the expected servers and accounts', async () => {
    const res = await stack.query(AuditMatchesDocument, { first: 100 });
    expect(res.errors).toBeUndefined();
    const got = Object.fromEntries(
      (res.data?.auditEntries?.edges ?? []).map(({ node }) => [
        labels.get(node.auditId),
        [
          label(node.servers?.map((s) => s.pamId) ?? [], 'S'),
          label(node.accounts?.map((a) => a.pamId) ?? [], 'A'),
        ],
      ]),
    );
    expect(got).toEqual(EXPECTED);
  });
});

describe('§3 Account.auditEntries and Server.auditEntries', () => {
  const entriesFor = (predicate: (servers: string[], accounts: string[]) => boolean) =>
    [...labels.entries()].filter(([, l]) => {
      const [servers, accounts] = EXPECTED[l] ?? [[], []];
      return predicate(servers, accounts);
    });

  it.each(['A1', 'A2', 'A3', 'A4', 'A5', 'A6'])(
    'account %s lists exactly its entries, newest first',
    async (a) => {
      const res = await stack.query(AccountAuditDocument, { id: String(ids[a]), first: 50 });
      expect(res.errors).toBeUndefined();
      const got = res.data?.account?.auditEntries?.edges.map((e) => e.node) ?? [];
      const expected = entriesFor((_s, accounts) => accounts.includes(a)).map(([id]) => id);
      expect(new Set(got.map((n) => n.auditId))).toEqual(new Set(expected));
      expect(got.map((n) => n.createdAt)).toEqual([...got.map((n) => n.createdAt)].sort().reverse());
      expect(res.data?.account?.auditEntries?.truncated).toBe(false);
    },
  );

  it.each(['S1', 'S2', 'S3', 'S4', 'S5'])('server %s lists exactly its entries', async (s) => {
    const res = await stack.query(ServerAuditDocument, { id: String(ids[s]), first: 50 });
    expect(res.errors).toBeUndefined();
    const got = res.data?.server?.auditEntries?.edges.map((e) => e.node.auditId) ?? [];
    const expected = entriesFor((servers) => servers.includes(s)).map(([id]) => id);
    expect(new Set(got)).toEqual(new Set(expected));
  });

  it('pages an account’s entries with first/after without losing or repeating one', async () => {
    const all: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: GraphQLResponse<AccountAuditQuery> = await stack.query(AccountAuditDocument, {
        id: String(ids.A1),
        first: 1,
        after,
      });
      const conn = res.data?.account?.auditEntries;
      all.push(...(conn?.edges.map((e) => e.node.auditId) ?? []));
      if (!conn?.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor ?? null;
    }
    const expected = entriesFor((_s, accounts) => accounts.includes('A1')).map(([id]) => id);
    expect(all).toHaveLength(expected.length);
    expect(new Set(all)).toEqual(new Set(expected));
  });
});
