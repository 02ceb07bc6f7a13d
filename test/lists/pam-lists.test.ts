/**
 * Filtering, ordering and counting PAM lists (issue 12 §1, §2), with views on and off. Every expected answer is
 * computed here from the simulator's records, with code of this file: nothing is imported from src/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, upstreamGet } from '../support/stack.js';

interface Edge {
  cursor: string;
  node: { pamId: number; name: string };
}
interface Page {
  totalCount: number | null;
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();
const byText =
  <T extends { id: number }>(key: (item: T) => string | null, direction: 'asc' | 'desc') =>
  (a: T, b: T) => {
    const x = lower(key(a));
    const y = lower(key(b));
    const sign = direction === 'asc' ? 1 : -1;
    return sign * (x < y ? -1 : x > y ? 1 : a.id - b.id);
  };

function ipv4(text: string): number {
  const parts = text.split('.').map(Number);
  return (((parts[0] ?? 0) * 256 + (parts[1] ?? 0)) * 256 + (parts[2] ?? 0)) * 256 + (parts[3] ?? 0);
}
const inNet = (ip: number, net: number, prefix: number) =>
  prefix === 0 || Math.floor(ip / 2 ** (32 - prefix)) === Math.floor(net / 2 ** (32 - prefix));

describe.each([
  ['views off', false],
  ['views on', true],
])('PAM lists with filter, orderBy and totalCount (%s)', (_label, views) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ settings: { views } });
  });
  afterAll(() => stack.stop());

  const state = () => stack.sims.pam.state;

  async function page(field: string, args: string, headers?: Record<string, string>) {
    const res = await stack.query<Record<string, Page>>(
      `{ ${field}(${args}) { totalCount edges { cursor node { pamId name } } pageInfo { hasNextPage endCursor } } }`,
      undefined,
      headers,
    );
    expect(res.errors).toBeUndefined();
    return res.data?.[field] as Page;
  }

  /** Every item of a filtered, ordered list, page by page with its cursors; checks totalCount on each page. */
  async function walk(field: string, args: string, pageSize = 7) {
    const ids: number[] = [];
    let after: string | null = null;
    let total: number | null = null;
    for (let i = 0; i < 100; i++) {
      const p: Page = await page(
        field,
        `first: ${pageSize}${after ? `, after: "${after}"` : ''}${args ? `, ${args}` : ''}`,
      );
      total ??= p.totalCount;
      expect(p.totalCount).toBe(total);
      ids.push(...p.edges.map((e) => Number(e.node.pamId)));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(total).toBe(ids.length);
    return ids;
  }

  it('accounts: name contains (any case), ordered by name descending, counted and paged', async () => {
    const all = state().accounts.list();
    const needle = lower(all[3]?.name).slice(1, 3).toUpperCase();
    const expected = all
      .filter((a) => lower(a.name).includes(lower(needle)))
      .sort(byText((a) => a.name, 'desc'))
      .map((a) => a.id);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThan(all.length);
    const got = await walk(
      'accounts',
      `filter: { name: { contains: "${needle}" } }, orderBy: { field: NAME, direction: DESC }`,
    );
    expect(got).toEqual(expected);
  });

  it('accounts: type (any of), blocked, login (case-sensitive) and domain (any case) combine with AND', async () => {
    const all = state().accounts.list();
    const withLogin = all.find((a) => a.credentials?.login);
    const login = withLogin?.credentials?.login ?? '';
    const types = ['regular', 'forward'];
    const expected = all
      .filter((a) => types.includes(a.type) && a.credentials?.login === login)
      .map((a) => a.id)
      .sort((x, y) => x - y);
    expect(expected.length).toBeGreaterThan(0);
    expect(await walk('accounts', `filter: { type: [REGULAR, FORWARD], login: "${login}" }`)).toEqual(
      expected,
    );
    // The login compares exactly: another case finds nothing (unless the login has no letters).
    if (login.toUpperCase() !== login)
      expect(await walk('accounts', `filter: { login: "${login.toUpperCase()}" }`)).toEqual([]);
    const corp = all.filter((a) => lower(a.credentials?.domain) === 'corp').map((a) => a.id);
    expect(corp.length).toBeGreaterThan(0);
    expect(await walk('accounts', 'filter: { domain: "corp" }')).toEqual(corp);
    const blocked = all.filter((a) => a.blocked).map((a) => a.id);
    expect(await walk('accounts', 'filter: { blocked: true }')).toEqual(blocked);
    expect(await walk('accounts', 'filter: { type: [] }')).toEqual([]);
  });

  it('accounts: serverId and serverProtocol follow the account to its server', async () => {
    const all = state().accounts.list();
    const servers = new Map(
      state()
        .servers.list()
        .map((s) => [s.id, s]),
    );
    const serverId = all[0]?.serverId ?? 0;
    expect(await walk('accounts', `filter: { serverId: "${serverId}" }`)).toEqual(
      all.filter((a) => a.serverId === serverId).map((a) => a.id),
    );
    const sshOrRdp = all
      .filter((a) => ['ssh', 'rdp'].includes(servers.get(a.serverId)?.protocol ?? ''))
      .map((a) => a.id);
    expect(sshOrRdp.length).toBeGreaterThan(0);
    expect(await walk('accounts', 'filter: { serverProtocol: [SSH, RDP] }')).toEqual(sshOrRdp);
  });

  it('an operator filters only what it may see', async () => {
    const { operatorToken } = stack.sims.credentials.pam;
    const visible = new Set(
      (
        await upstreamGet<Array<{ id: number }>>(stack.sims.pam.url, '/api/system/accounts', operatorToken)
      ).map((a) => a.id),
    );
    const all = state().accounts.list();
    expect(visible.size).toBeLessThan(all.length);
    const expected = all
      .filter((a) => visible.has(a.id) && a.type !== 'anonymous')
      .sort(byText((a) => a.name, 'asc'))
      .map((a) => a.id);
    const res = await stack.query<{ accounts: Page }>(
      '{ accounts(first: 100, filter: { type: [REGULAR, FORWARD] }, orderBy: { field: NAME, direction: ASC }) { totalCount edges { node { pamId } } } }',
      undefined,
      { 'x-pam-token': operatorToken },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.accounts.edges.map((e) => Number(e.node.pamId))).toEqual(expected);
    expect(res.data?.accounts.totalCount).toBe(expected.length);
  });

  it('servers: protocol, blocked and name equals; address by IP (subnets containing it) and by CIDR', async () => {
    const all = state().servers.list();
    const ssh = all.filter((s) => s.protocol === 'ssh' && !s.blocked).map((s) => s.id);
    expect(await walk('servers', 'filter: { protocol: [SSH], blocked: false }')).toEqual(ssh);
    const one = all[2];
    expect(await walk('servers', `filter: { name: { equals: "${one?.name.toUpperCase()}" } }`)).toEqual([
      one?.id,
    ]);

    const v4 = all.filter((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s.address));
    const target = v4[0];
    if (!target) throw new Error('the demo data has no IPv4 server');
    // An IP: servers whose address (or subnet) contains it.
    const ip = target.address;
    const standsFor = v4.filter((s) => inNet(ipv4(ip), ipv4(s.address), s.mask ?? 32)).map((s) => s.id);
    expect(standsFor).toContain(target.id);
    expect(await walk('servers', `filter: { address: "${ip}" }`)).toEqual(standsFor);
    // A CIDR with host bits set means its network: servers whose own address lies inside.
    const cidr = `${ip}/16`;
    const inside = v4.filter((s) => inNet(ipv4(s.address), ipv4(ip), 16)).map((s) => s.id);
    expect(await walk('servers', `filter: { address: "${cidr}" }`)).toEqual(inside);
  });

  it('a malformed address is BAD_USER_INPUT', async () => {
    for (const bad of ['10.1.2', '10.1.2.3/33', 'server.example', '10.0.0.0/8/8']) {
      const res = await stack.query(`{ servers(filter: { address: "${bad}" }) { totalCount } }`);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('safes, listeners and users: their own filters and name order', async () => {
    const safes = state().safes.list();
    expect(await walk('safes', 'orderBy: { field: NAME, direction: ASC }', 4)).toEqual(
      [...safes].sort(byText((s) => s.name, 'asc')).map((s) => s.id),
    );
    expect(await walk('safes', 'filter: { blocked: false }')).toEqual(
      safes.filter((s) => !s.blocked).map((s) => s.id),
    );

    const listeners = state().listeners.list();
    const mode = listeners[0]?.mode ?? 'proxy';
    expect(await walk('listeners', `filter: { mode: [${mode.toUpperCase()}] }`)).toEqual(
      listeners.filter((l) => l.mode === mode).map((l) => l.id),
    );

    const users = state().users.list();
    const withEmail = users.find((u) => u.email);
    expect(await walk('users', `filter: { email: "${withEmail?.email?.toUpperCase()}" }`)).toEqual(
      users.filter((u) => lower(u.email) === lower(withEmail?.email)).map((u) => u.id),
    );
    expect(
      await walk('users', 'filter: { role: [ADMIN, OPERATOR] }, orderBy: { field: ID, direction: DESC }'),
    ).toEqual(
      users
        .filter((u) => u.role === 'admin' || u.role === 'operator')
        .map((u) => u.id)
        .sort((x, y) => y - x),
    );
  });

  it('a plain list counts the whole list', async () => {
    const p = await page('accounts', 'first: 3');
    expect(p.totalCount).toBe(state().accounts.size);
    expect(p.edges.map((e) => Number(e.node.pamId))).toEqual(
      state()
        .accounts.list()
        .map((a) => a.id)
        .sort((x, y) => x - y)
        .slice(0, 3),
    );
  });

  it('Server.accounts and Safe.accounts filter, order and count (a safe counts edges)', async () => {
    const accounts = state().accounts.list();
    const server = state()
      .servers.list()
      .find((s) => accounts.filter((a) => a.serverId === s.id).length > 2);
    const res = await stack.query<{ server: { accounts: Page } }>(
      `{ server(id: "${server?.id}") { accounts(first: 50, orderBy: { field: NAME, direction: DESC }, filter: { blocked: false }) { totalCount edges { node { pamId } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const mine = accounts
      .filter((a) => a.serverId === server?.id && !a.blocked)
      .sort(byText((a) => a.name, 'desc'))
      .map((a) => a.id);
    expect(res.data?.server.accounts.edges.map((e) => Number(e.node.pamId))).toEqual(mine);
    expect(res.data?.server.accounts.totalCount).toBe(mine.length);

    const [safeId, assigned] =
      [...state().assignments.entries()].sort((a, b) => b[1].size - a[1].size)[0] ?? [];
    const edges = [...(assigned?.values() ?? [])].filter(
      (a) => state().accounts.get(a.accountId)?.type === 'regular',
    );
    const expected = edges
      .sort((a, b) => {
        const x = lower(state().accounts.get(a.accountId)?.name);
        const y = lower(state().accounts.get(b.accountId)?.name);
        return x < y ? -1 : x > y ? 1 : a.accountId - b.accountId || a.listenerId - b.listenerId;
      })
      .map((a) => `${a.accountId}:${a.listenerId}`);
    const safe = await stack.query<{
      safe: {
        accounts: {
          totalCount: number;
          edges: Array<{ node: { pamId: number }; listener: { pamId: number } }>;
        };
      };
    }>(
      `{ safe(id: "${safeId}") { accounts(first: 100, filter: { type: [REGULAR] }, orderBy: { field: NAME, direction: ASC }) { totalCount edges { node { pamId } listener { pamId } } } } }`,
    );
    expect(safe.errors).toBeUndefined();
    expect(safe.data?.safe.accounts.edges.map((e) => `${e.node.pamId}:${e.listener.pamId}`)).toEqual(
      expected,
    );
    expect(safe.data?.safe.accounts.totalCount).toBe(expected.length);

    // Descending: an account's edges (one per listener) tie on its name and break by listener id, descending too.
    const multi = [...state().assignments.entries()].find(([, m]) => {
      const ids = [...m.values()].map((a) => a.accountId);
      return new Set(ids).size < ids.length;
    });
    if (!multi) throw new Error('the demo data has no account exposed through two listeners of one safe');
    const desc = [...multi[1].values()]
      .sort((a, b) => {
        const x = lower(state().accounts.get(a.accountId)?.name);
        const y = lower(state().accounts.get(b.accountId)?.name);
        return x < y ? 1 : x > y ? -1 : b.accountId - a.accountId || b.listenerId - a.listenerId;
      })
      .map((a) => `${a.accountId}:${a.listenerId}`);
    const down = await stack.query<{
      safe: { accounts: { edges: Array<{ node: { pamId: string }; listener: { pamId: string } }> } };
    }>(
      `{ safe(id: "${multi[0]}") { accounts(first: 100, orderBy: { field: NAME, direction: DESC }) { edges { node { pamId } listener { pamId } } } } }`,
    );
    expect(down.errors).toBeUndefined();
    expect(down.data?.safe.accounts.edges.map((e) => `${e.node.pamId}:${e.listener.pamId}`)).toEqual(desc);
  });

  it('a cursor is valid only with the filter and order it came from', async () => {
    const filtered = await page(
      'accounts',
      'first: 2, filter: { blocked: false }, orderBy: { field: NAME, direction: ASC }',
    );
    const cursor = filtered.pageInfo.endCursor;
    // The same arguments, spelt in another order, accept it.
    const again = await stack.query(
      `{ accounts(first: 2, after: "${cursor}", orderBy: { direction: ASC, field: NAME }, filter: { blocked: false }) { totalCount } }`,
    );
    expect(again.errors).toBeUndefined();
    for (const other of [
      'filter: { blocked: true }, orderBy: { field: NAME, direction: ASC }',
      'filter: { blocked: false }, orderBy: { field: NAME, direction: DESC }',
      'filter: { blocked: false }',
      '',
    ]) {
      const res = await stack.query(
        `{ accounts(first: 2, after: "${cursor}"${other ? `, ${other}` : ''}) { totalCount } }`,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/filter and order it came from/);
    }
    const plain = await page('accounts', 'first: 2');
    const misuse = await stack.query(
      `{ accounts(first: 2, after: "${plain.pageInfo.endCursor}", filter: { blocked: false }) { totalCount } }`,
    );
    expect(misuse.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
