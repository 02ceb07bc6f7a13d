/**
 * Every PAM relation through GraphQL, compared field by field with the simulator's own records (read over
 * its REST API as the superadmin, independently of the gateway).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccountDetailDocument,
  CollectionsDocument,
  ListenerSafesDocument,
  SafeDetailDocument,
  ServerAccountsDocument,
  type ServerAccountsQuery,
} from '../gql/graphql.js';
import { type GraphQLResponse, type Stack, startStack, upstreamGet } from '../support/stack.js';

interface Ref {
  id: number;
  name: string;
}
interface RawAccount {
  id: number;
  name: string;
  type: string;
  blocked: boolean;
  dump_mode: string;
  ocr_enabled: boolean;
  ocr_lang: string;
  password_checkout_time_limit: string | null;
  password_recovery: boolean;
  retention: number | null;
  server_id: number;
  server: Ref;
  credentials: null | {
    login: string;
    domain: string;
    method: string | null;
    public_key: string | null;
    password_change_policy_id: number | null;
  };
  accountpasswordchanger_set: Array<{
    id: number;
    position: number;
    timeout: number;
    password_changer_type: string;
  }>;
}
interface RawServer {
  id: number;
  name: string;
  address: string;
  mask: number | null;
  port: number;
  protocol: string;
  blocked: boolean;
  reason: string | null;
}
interface RawAssignment {
  account: Ref;
  listener: Ref;
}

let stack: Stack;
let get: <T>(path: string) => Promise<T>;
let accounts: RawAccount[];
let safes: Ref[];
const assignments = new Map<number, RawAssignment[]>();

beforeAll(async () => {
  stack = await startStack();
  get = (path) => upstreamGet(stack.sims.pam.url, path, stack.sims.credentials.pam.superadminToken);
  accounts = await get<RawAccount[]>('/api/system/accounts');
  safes = await get<Ref[]>('/api/system/safes');
  for (const safe of safes)
    assignments.set(safe.id, await get<RawAssignment[]>(`/api/system/safes/${safe.id}/accounts`));
});
afterAll(() => stack.stop());

/** An account of the demo data that has credentials, granted users and at least one safe. */
function richAccount(): RawAccount {
  const inSafes = new Set([...assignments.values()].flat().map((a) => a.account.id));
  const found = accounts.find(
    (a) => a.credentials?.method === 'password' && inSafes.has(a.id) && a.accountpasswordchanger_set.length,
  );
  return found ?? (accounts.find((a) => inSafes.has(a.id)) as RawAccount);
}

describe('Account relations', () => {
  it('account(id:) returns the account, its credentials, changers, server, granted users and safes as stored', async () => {
    const raw = richAccount();
    const server = await get<RawServer>(`/api/system/servers/${raw.server_id}`);
    const granted = await get<Ref[]>(`/api/system/accounts/${raw.id}/granted_users`);
    const users = await get<Array<{ id: number; role: string }>>('/api/system/users');
    const res = await stack.query(AccountDetailDocument, { id: String(raw.id) });
    expect(res.errors).toBeUndefined();
    const a = res.data?.account;
    expect(a).toMatchObject({
      pamId: String(raw.id),
      name: raw.name,
      type: raw.type.toUpperCase(),
      blocked: raw.blocked,
      dumpMode: raw.dump_mode.toUpperCase(),
      ocrEnabled: raw.ocr_enabled,
      ocrLang: raw.ocr_lang || null,
      passwordCheckoutTimeLimit: raw.password_checkout_time_limit,
      passwordRecovery: raw.password_recovery,
      retention: raw.retention,
    });
    expect(a?.credentials).toMatchObject({
      login: raw.credentials?.login,
      domain: raw.credentials?.domain || null,
      publicKey: raw.credentials?.public_key ?? null,
    });
    expect(a?.credentials?.passwordChangePolicy?.pamId).toBe(
      String(raw.credentials?.password_change_policy_id),
    );
    expect(a?.passwordChangers.map((p) => [p.changerId, p.position, p.timeout, p.type])).toEqual(
      [...raw.accountpasswordchanger_set]
        .sort((x, y) => x.position - y.position)
        .map((p) => [p.id, p.position, p.timeout, p.password_changer_type.toUpperCase()]),
    );
    expect(a?.server).toEqual({
      pamId: String(server.id),
      name: server.name,
      address: server.address,
      mask: server.mask,
      port: server.port,
      protocol: server.protocol.toUpperCase(),
      blocked: server.blocked,
      reason: server.reason || null,
    });
    expect(a?.grantedUsers?.map((u) => [u.pamId, u.name, u.role])).toEqual(
      granted.map((g) => [String(g.id), g.name, users.find((u) => u.id === g.id)?.role.toUpperCase()]),
    );
    const expectedSafes = safes.flatMap((safe) =>
      (assignments.get(safe.id) ?? [])
        .filter((x) => x.account.id === raw.id)
        .map((x) => [String(safe.id), safe.name, String(x.listener.id), x.listener.name]),
    );
    expect(expectedSafes.length).toBeGreaterThan(0);
    expect(a?.safes?.map((s) => [s.safe.pamId, s.safe.name, s.listener.pamId, s.listener.name])).toEqual(
      expectedSafes,
    );
    expect(a?.safes?.every((s) => s.listener.protocol === server.protocol.toUpperCase())).toBe(true);
  });

  it('account(id:) accepts the global ID too, and answers null for an unknown id', async () => {
    const raw = accounts[0] as RawAccount;
    const first = await stack.query(AccountDetailDocument, { id: String(raw.id) });
    const byGlobal = await stack.query(AccountDetailDocument, { id: first.data?.account?.id ?? '' });
    expect(byGlobal.data?.account?.name).toBe(raw.name);
    const missing = await stack.query(AccountDetailDocument, { id: '999999' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.account).toBeNull();
  });

  it('account(id:) with another type’s global ID is BAD_USER_INPUT', async () => {
    const servers = await stack.query(CollectionsDocument);
    const serverId = servers.data?.servers?.edges[0]?.node.pamId ?? '';
    const globalServerId = Buffer.from(`pg1:Server:${serverId}`).toString('base64url');
    const res = await stack.query(AccountDetailDocument, { id: globalServerId });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('Server, Safe and Listener relations', () => {
  it('Server.accounts lists exactly the accounts whose server_id is that server, ascending, paged', async () => {
    const counts = new Map<number, number>();
    for (const a of accounts) counts.set(a.server_id, (counts.get(a.server_id) ?? 0) + 1);
    const [serverId] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0] ?? [0];
    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res: GraphQLResponse<ServerAccountsQuery> = await stack.query(ServerAccountsDocument, {
        id: String(serverId),
        first: 2,
        after,
      });
      const conn = res.data?.server?.accounts;
      names.push(...(conn?.edges.map((e) => e.node.name) ?? []));
      if (!conn?.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor ?? null;
    }
    expect(names).toEqual(accounts.filter((a) => a.server_id === serverId).map((a) => a.name));
    expect(names.length).toBeGreaterThan(1);
  });

  it('Safe.accounts carries each assignment’s listener; Safe.listeners the distinct listeners', async () => {
    const [safeId, list] = [...assignments.entries()].sort((x, y) => y[1].length - x[1].length)[0] ?? [0, []];
    const res = await stack.query(SafeDetailDocument, { id: String(safeId), first: 100 });
    expect(res.errors).toBeUndefined();
    const edges = res.data?.safe?.accounts?.edges ?? [];
    expect(edges.map((e) => [e.node.pamId, e.node.name, e.listener.pamId, e.listener.name])).toEqual(
      list.map((x) => [String(x.account.id), x.account.name, String(x.listener.id), x.listener.name]),
    );
    const types = new Map(accounts.map((a) => [a.id, a.type.toUpperCase()]));
    expect(edges.map((e) => e.node.type)).toEqual(list.map((x) => types.get(x.account.id)));
    const distinct = [...new Map(list.map((x) => [x.listener.id, x.listener.name])).entries()].sort(
      (a, b) => a[0] - b[0],
    );
    expect(res.data?.safe?.listeners?.map((l) => [l.pamId, l.name])).toEqual(
      distinct.map(([id, n]) => [String(id), n]),
    );
  });

  it('Listener.safes lists every safe that exposes something through it', async () => {
    const listenerIds = new Set([...assignments.values()].flat().map((a) => a.listener.id));
    for (const listenerId of listenerIds) {
      const res = await stack.query(ListenerSafesDocument, { id: String(listenerId) });
      const expected = safes.filter((s) =>
        (assignments.get(s.id) ?? []).some((a) => a.listener.id === listenerId),
      );
      expect(res.data?.listener?.safes?.map((s) => s.pamId)).toEqual(expected.map((s) => String(s.id)));
    }
  });

  it('root collections list what the simulator holds', async () => {
    const res = await stack.query(CollectionsDocument);
    expect(res.errors).toBeUndefined();
    const servers = await get<Ref[]>('/api/system/servers');
    const listeners = await get<Ref[]>('/api/system/listeners');
    const users = await get<Array<Ref & { role: string; email: string | null }>>('/api/system/users');
    const policies = await get<Array<Ref & { change_frequency: number }>>(
      '/api/system/password_change_policies',
    );
    expect(res.data?.servers?.edges.map((e) => e.node.name)).toEqual(servers.map((s) => s.name));
    expect(res.data?.safes?.edges.map((e) => e.node.name)).toEqual(safes.map((s) => s.name));
    expect(res.data?.listeners?.edges.map((e) => e.node.name)).toEqual(listeners.map((s) => s.name));
    expect(res.data?.users?.edges.map((e) => [e.node.name, e.node.role, e.node.email])).toEqual(
      users.map((u) => [u.name, u.role.toUpperCase(), u.email || null]),
    );
    expect(res.data?.passwordChangePolicies?.map((p) => [p.name, p.changeFrequency])).toEqual(
      policies.map((p) => [p.name, p.change_frequency]),
    );
  });
});
