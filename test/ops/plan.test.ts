/**
 * The call plan on request (issue 13 §5): with DEBUG_EXTENSIONS, `x-pamgraph-plan: 1` returns what the operation
 * asked of the upstreams, checked against what the simulators received: each call's method, route template,
 * status, duration, wave and retries, and the reads a shared view answered (with whether they waited for a sync).
 * Never without the setting or the header, never a credential or an id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { json, reply, startFaultServer } from '../support/fault-server.js';
import { type Stack, type StackOptions, startStack } from '../support/stack.js';

interface Planned {
  upstream: string;
  method: string;
  route: string;
  status: number | null;
  durationMs: number;
  wave: number;
  retries: number;
  view: boolean;
  waitedForSync?: boolean;
}

const stacks: Stack[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const stack of stacks.splice(0)) await stack.stop();
});
async function stackWith(options: StackOptions) {
  const stack = await startStack(options);
  stacks.push(stack);
  return stack;
}

const PAGE = '{ accounts(first: 3) { edges { node { name server { name } } } } }';
const planOf = (res: { text: string }) =>
  (JSON.parse(res.text) as { extensions?: { upstreamCalls?: Planned[] } }).extensions?.upstreamCalls;

describe('x-pamgraph-plan', () => {
  it('lists the operation’s own calls, in waves, as the upstream received them', async () => {
    const stack = await stackWith({ mode: 'forward', settings: { debugExtensions: true } });
    const token = stack.sims.credentials.pam.superadminToken;
    stack.resetRecords();
    const res = await stack.query(
      '{ accounts(first: 3) { edges { node { name grantedUsers { name } } } } }',
      undefined,
      { 'x-pamgraph-plan': '1', 'x-pam-token': token },
    );
    expect(res.errors).toBeUndefined();
    const plan = planOf(res) ?? [];
    const received = stack.sims.pam.requests.list();
    expect(plan).toHaveLength(received.length);
    expect(plan.every((c) => !c.view && c.method === 'GET' && c.status === 200 && c.retries === 0)).toBe(
      true,
    );
    expect(plan[0]).toMatchObject({ upstream: 'pam', route: '/api/system/accounts', wave: 1 });
    // Who may manage each of those accounts is asked once the accounts have answered, all three together.
    const granted = plan.filter((c) => c.route === '/api/system/accounts/:id/granted_users');
    expect(granted).toHaveLength(3);
    expect(granted.every((c) => c.wave === 2)).toBe(true);
    expect(plan.every((c) => typeof c.durationMs === 'number' && c.durationMs >= 0)).toBe(true);
    // Templates only: no id, no query string, no credential.
    expect(plan.every((c) => !/\/\d+(\/|$)|\?/.test(c.route))).toBe(true);
    expect(res.text).not.toContain(token);
  });

  it('says which reads a shared view answered, and whether they waited for its sync', async () => {
    const stack = await stackWith({ settings: { debugExtensions: true, views: true } });
    const cold = planOf(await stack.query(PAGE, undefined, { 'x-pamgraph-plan': '1' })) ?? [];
    expect(cold.filter((c) => !c.view)).toEqual([]);
    const accounts = cold.find((c) => c.route === '/api/system/accounts');
    expect(accounts).toMatchObject({ view: true, waitedForSync: true, status: null });
    const warm = planOf(await stack.query(PAGE, undefined, { 'x-pamgraph-plan': '1' })) ?? [];
    expect(warm.length).toBeGreaterThan(0);
    expect(warm.every((c) => c.view && c.waitedForSync === false)).toBe(true);
    // Answers from fresh data at once are nothing anyone waited for: independent fields stay in one wave.
    const fields =
      '{ accounts(first: 1) { totalCount } servers(first: 1) { totalCount } users(first: 1) { totalCount } }';
    await stack.query(fields);
    const together = planOf(await stack.query(fields, undefined, { 'x-pamgraph-plan': '1' })) ?? [];
    expect(together.length).toBeGreaterThanOrEqual(3);
    expect(together.every((c) => c.wave === 1)).toBe(true);
  });

  it('shows the shared lists of one parent as view reads too, after the accounts they belong to', async () => {
    const stack = await stackWith({ settings: { debugExtensions: true, views: true } });
    const document = '{ accounts(first: 3) { edges { node { name grantedUsers { name } } } } }';
    stack.resetRecords();
    const cold = planOf(await stack.query(document, undefined, { 'x-pamgraph-plan': '1' })) ?? [];
    const route = '/api/system/accounts/:id/granted_users';
    const lists = cold.filter((c) => c.route === route);
    // One read per account, each waiting for its list's fetch, once the accounts' view had answered.
    expect(lists).toHaveLength(3);
    expect(lists.every((c) => c.view && c.waitedForSync === true && c.status === null)).toBe(true);
    expect(lists.every((c) => c.wave === 2)).toBe(true);
    // The fetches were shared work: the operation sent nothing of its own, though the PAM API got one per list.
    expect(cold.filter((c) => !c.view)).toEqual([]);
    const fetched = stack.sims.pam.requests
      .list()
      .filter((r) => /\/accounts\/\d+\/granted_users/.test(r.path));
    expect(fetched).toHaveLength(3);
    const warm = planOf(await stack.query(document, undefined, { 'x-pamgraph-plan': '1' })) ?? [];
    expect(warm.filter((c) => c.route === route).every((c) => c.view && c.waitedForSync === false)).toBe(
      true,
    );
    expect(warm.filter((c) => c.route === route)).toHaveLength(3);
  });

  it('counts the retries of a call', async () => {
    const pam = await startFaultServer();
    stops.push(() => pam.stop());
    pam.script(reply(503, '{}'), json(200, []));
    const stack = await stackWith({ pam: { url: pam.url }, settings: { debugExtensions: true } });
    const res = await stack.query('{ accounts(first: 1) { edges { node { name } } } }', undefined, {
      'x-pamgraph-plan': '1',
    });
    expect(res.errors).toBeUndefined();
    expect(planOf(res)).toEqual([
      expect.objectContaining({
        route: '/api/system/accounts',
        status: 200,
        retries: 1,
        wave: 1,
        view: false,
      }),
    ]);
  });

  it('is not given without DEBUG_EXTENSIONS, nor without the header', async () => {
    const off = await stackWith({});
    expect(planOf(await off.query(PAGE, undefined, { 'x-pamgraph-plan': '1' }))).toBeUndefined();
    const on = await stackWith({ settings: { debugExtensions: true } });
    expect(planOf(await on.query(PAGE))).toBeUndefined();
    expect(planOf(await on.query(PAGE, undefined, { 'x-pamgraph-plan': 'yes' }))).toBeUndefined();
  });
});
