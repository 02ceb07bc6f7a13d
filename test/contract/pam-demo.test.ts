/** The PAM demo data set (brief + docs/upstreams.md §1, §3): deterministic, sized, and internally consistent. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPamSimulator } from '../../src/simulator/index.js';
import { createPamState, demoTargets } from '../../src/simulator/pam/index.js';
import { callSimulator } from '../support/seed.js';

const SU = DEMO_CREDENTIALS.pam.superadminToken;
const OP = DEMO_CREDENTIALS.pam.operatorToken;
const SIZES = { accounts: 300, servers: 40, safes: 10, listeners: 12, users: 20 };
let sim: Awaited<ReturnType<typeof startPamSimulator>>;

interface Server {
  id: number;
  name: string;
  address: string;
  mask: number | null;
  port: number;
  protocol: string;
  blocked: boolean;
  reason: string | null;
}
interface Account {
  id: number;
  name: string;
  type: string;
  blocked: boolean;
  server_id: number;
  credentials: { login: string; domain: string; method: string | null } | null;
  accountpasswordchanger_set: unknown[];
}
interface Assignment {
  account_id: number;
  listener_id: number;
}

async function get<T>(path: string, token: string = SU): Promise<T> {
  const reply = await callSimulator<T>(sim.url, 'GET', path, { auth: token });
  expect(reply.status).toBe(200);
  return reply.body;
}

let servers: Server[];
let accounts: Account[];

beforeAll(async () => {
  sim = await startPamSimulator({ seed: 7, sizes: SIZES });
  servers = await get<Server[]>('/api/system/servers');
  accounts = await get<Account[]>('/api/system/accounts');
});
afterAll(async () => {
  await sim.stop();
});

describe('PAM demo data', () => {
  it('has the requested sizes and five password change policies, policy 1 "Static"', async () => {
    expect(accounts).toHaveLength(300);
    expect(servers).toHaveLength(40);
    expect(await get<unknown[]>('/api/system/safes')).toHaveLength(10);
    expect(await get<unknown[]>('/api/system/listeners')).toHaveLength(12);
    expect(await get<unknown[]>('/api/system/users')).toHaveLength(20);
    const policies = await get<{ id: number; name: string; change_frequency: number }[]>(
      '/api/system/password_change_policies',
    );
    expect(policies.map((p) => p.name)).toEqual([
      'Static',
      'Daily rotation',
      'Weekly 24 chars',
      'Monthly 32 chars',
      'After each checkout',
    ]);
    expect(policies[0]).toMatchObject({ id: 1, change_frequency: 0 });
  });

  it('§1.1 pagination over the 300 demo accounts: only page means page_size 100', async () => {
    const ids = (list: Account[]) => list.map((a) => a.id);
    expect(ids(await get<Account[]>('/api/system/accounts?page=1'))).toEqual(ids(accounts.slice(0, 100)));
    expect(ids(await get<Account[]>('/api/system/accounts?page=3'))).toEqual(ids(accounts.slice(200, 300)));
    expect(await get<Account[]>('/api/system/accounts?page=4')).toEqual([]);
    expect(await get<Account[]>('/api/system/accounts?page_size=1000')).toHaveLength(300);
  });

  it('users 1 and 2 are the demo users, both can log in; the rest mix every other role', async () => {
    const users =
      await get<{ id: number; name: string; role: string; email: string | null }[]>('/api/system/users');
    expect(users.slice(0, 2).map((u) => [u.id, u.name, u.role])).toEqual([
      [1, 'demo-superadmin', 'superadmin'],
      [2, 'demo-operator', 'operator'],
    ]);
    expect(new Set(users.slice(2).map((u) => u.role))).toEqual(
      new Set(['admin', 'operator', 'user', 'service']),
    );
    const { operatorName, operatorPassword } = DEMO_CREDENTIALS.pam;
    const res = await callSimulator(sim.url, 'POST', '/api/system/login', {
      body: { username: operatorName, password: operatorPassword },
    });
    expect(res.status).toBe(200);
    expect([...sim.state.users.rows.values()].every((u) => typeof u.password === 'string')).toBe(true);
  });

  it('the demo operator is granted exactly a tenth of the accounts and sees only those', async () => {
    const visible = await get<Account[]>('/api/system/accounts', OP);
    expect(visible).toHaveLength(30);
    for (const account of visible) {
      const granted = await get<{ id: number }[]>(`/api/system/accounts/${account.id}/granted_users`, OP);
      expect(granted.map((u) => u.id)).toContain(2);
    }
  });

  it('about 30 % of the accounts have 1–4 other granted users', () => {
    const others = [...sim.state.grants.values()].map((ids) => [...ids].filter((id) => id !== 2).length);
    const withOthers = others.filter((n) => n > 0);
    expect(withOthers.length).toBeGreaterThan(60);
    expect(withOthers.length).toBeLessThan(120);
    expect(Math.max(...withOthers)).toBeLessThanOrEqual(4);
  });

  it('several servers share an address on different ports; subnets, IPv6 and blocked servers exist', () => {
    const byAddress = new Map<string, Server[]>();
    for (const s of servers) byAddress.set(s.address, [...(byAddress.get(s.address) ?? []), s]);
    const shared = [...byAddress.values()].filter((group) => group.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    for (const group of shared) expect(new Set(group.map((s) => s.port)).size).toBe(group.length);
    expect(servers.find((s) => s.address === '10.20.30.0')?.mask).toBe(24);
    expect(servers.some((s) => s.address.includes(':'))).toBe(true);
    expect(new Set(servers.map((s) => s.protocol)).size).toBeGreaterThanOrEqual(5);
    for (const s of servers.filter((x) => x.blocked)) expect(s.reason).toEqual(expect.any(String));
  });

  it('accounts mix types and methods with realistic logins and unique names', () => {
    expect(new Set(accounts.map((a) => a.type))).toEqual(new Set(['regular', 'forward', 'anonymous']));
    for (const a of accounts.filter((x) => x.type === 'anonymous')) expect(a.credentials).toBeNull();
    const methods = new Set(accounts.filter((a) => a.type === 'regular').map((a) => a.credentials?.method));
    expect(methods).toEqual(new Set(['password', 'ssh-key', 'account']));
    const logins = new Set(accounts.map((a) => a.credentials?.login));
    for (const login of ['root', 'admin', 'administrator']) expect(logins).toContain(login);
    expect(accounts.some((a) => a.credentials?.domain === 'CORP')).toBe(true);
    expect(accounts.some((a) => a.accountpasswordchanger_set.length > 0)).toBe(true);
    expect(accounts.some((a) => a.blocked)).toBe(true);
    expect(new Set(accounts.map((a) => a.name.toLowerCase())).size).toBe(accounts.length);
  });

  it('assignments go only through listeners of the account server protocol, 0–3 safes per account', async () => {
    const listeners = await get<{ id: number; protocol: string }[]>('/api/system/listeners');
    const listenerProtocol = new Map(listeners.map((l) => [l.id, l.protocol]));
    const serverProtocol = new Map(servers.map((s) => [s.id, s.protocol]));
    const accountServer = new Map(accounts.map((a) => [a.id, a.server_id]));
    expect(new Set(servers.map((s) => s.protocol))).toEqual(new Set(listenerProtocol.values()));
    const safesPerAccount = new Map<number, number>();
    let multiListener = 0;
    for (const safe of await get<{ id: number }[]>('/api/system/safes')) {
      const list = await get<Assignment[]>(`/api/system/safes/${safe.id}/accounts`);
      for (const a of list) {
        const protocol = serverProtocol.get(accountServer.get(a.account_id) ?? 0);
        expect(listenerProtocol.get(a.listener_id)).toBe(protocol);
      }
      const ids = list.map((a) => a.account_id);
      multiListener += ids.length - new Set(ids).size;
      for (const id of new Set(ids)) safesPerAccount.set(id, (safesPerAccount.get(id) ?? 0) + 1);
    }
    expect(Math.max(...safesPerAccount.values())).toBeLessThanOrEqual(3);
    expect(safesPerAccount.size).toBeGreaterThan(150);
    expect(multiListener).toBeGreaterThan(0);
  });

  it('demoTargets has one entry per account with credentials, with its server and login (§3)', () => {
    const targets = sim.targets;
    const withCredentials = accounts.filter((a) => a.credentials);
    expect(targets).toHaveLength(withCredentials.length);
    const first = withCredentials[0];
    const server = servers.find((s) => s.id === first?.server_id);
    expect(targets[0]).toEqual({
      address: server?.address,
      mask: server?.mask,
      protocol: server?.protocol,
      login: first?.credentials?.login,
      domain: first?.credentials?.domain || null,
    });
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = demoTargets(createPamState({ seed: 7, sizes: SIZES }));
    const b = demoTargets(createPamState({ seed: 7, sizes: SIZES }));
    const c = demoTargets(createPamState({ seed: 8, sizes: SIZES }));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a).toEqual(sim.targets);
  });

  it('the default data set (2,000 accounts) is generated without pathological slowness (guard, < 5 s)', () => {
    const started = performance.now();
    const state = createPamState({});
    const elapsed = performance.now() - started;
    // A guard against pathological slowness, not a benchmark: idle it takes well under 0.3 s.
    expect(elapsed).toBeLessThan(5000);
    expect([
      state.accounts.size,
      state.servers.size,
      state.safes.size,
      state.listeners.size,
      state.users.size,
    ]).toEqual([2000, 200, 50, 20, 100]);
    expect(state.grants.size).toBeGreaterThan(0);
    expect([...state.grants.values()].filter((ids) => ids.has(2))).toHaveLength(200);
  });

  it('empty: true holds only the two demo users and policy 1', () => {
    const state = createPamState({ empty: true });
    expect(state.users.list().map((u) => u.name)).toEqual(['demo-superadmin', 'demo-operator']);
    expect(state.policies.list().map((p) => p.name)).toEqual(['Static']);
    expect([state.accounts.size, state.servers.size, state.safes.size, state.listeners.size]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});
