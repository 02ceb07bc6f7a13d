/** docs/upstreams.md §1.4–§1.9: safe assignments, servers, safes, listeners, users, password change policies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPamSimulator } from '../../src/simulator/index.js';
import { type SimulatorCall, simulatorClient } from '../support/seed.js';

const SU = DEMO_CREDENTIALS.pam.superadminToken;
const OP = DEMO_CREDENTIALS.pam.operatorToken;
const STAMP = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
let sim: Awaited<ReturnType<typeof startPamSimulator>>;
let userSession: string;
const seen: string[] = [];

type Json = Record<string, unknown>;

const pam = simulatorClient(() => sim.url, SU);

/** A direct call (superadmin unless `auth` says otherwise); every response text is kept in `seen`. */
async function call(method: string, path: string, options: SimulatorCall = {}) {
  const reply = await pam<Json>(method, path, options);
  seen.push(reply.text);
  return { status: reply.status, body: reply.body };
}

async function post(path: string, body: Json): Promise<Json & { id: number }> {
  const reply = await call('POST', path, { body });
  expect(reply.status).toBe(201);
  return reply.body as Json & { id: number };
}

beforeAll(async () => {
  sim = await startPamSimulator({ empty: true });
  await call('POST', '/api/system/users', {
    body: { name: 'svc-user', role: 'service', password: 'pw-svc' },
  });
  const login = await call('POST', '/api/system/login', {
    auth: null,
    body: { username: 'svc-user', password: 'pw-svc' },
  });
  userSession = (login.body as { sessionid: string }).sessionid;
});
afterAll(async () => {
  await sim.stop();
});

interface CrudCase {
  section: string;
  path: string;
  /** A valid create body; `n` makes the unique fields unique. */
  body: (n: number) => Json;
  /** The created object as the API must answer it (without id and timestamps). */
  expected: (n: number) => Json;
  patch: Json;
}

const CASES: CrudCase[] = [
  {
    section: '§1.5 Servers',
    path: '/api/system/servers',
    body: (n) => ({ name: `srv-${n}`, address: `192.0.2.${n}`, port: 22, protocol: 'ssh' }),
    expected: (n) => ({
      name: `srv-${n}`,
      description: '',
      address: `192.0.2.${n}`,
      mask: null,
      port: 22,
      protocol: 'ssh',
      bind_ip: null,
      blocked: false,
      reason: null,
    }),
    patch: { description: 'patched' },
  },
  {
    section: '§1.6 Safes',
    path: '/api/system/safes',
    body: (n) => ({ name: `safe-${n}` }),
    expected: (n) => ({
      name: `safe-${n}`,
      blocked: false,
      reason: null,
      login_reason: false,
      require_confirmation: false,
      required_votes: 0,
      webclient: true,
      inactivity_limit: 0,
      time_limit: 0,
      note_access: 'none',
    }),
    patch: { note_access: 'write' },
  },
  {
    section: '§1.7 Listeners',
    path: '/api/system/listeners',
    body: (n) => ({ name: `lst-${n}`, protocol: 'rdp', mode: 'gateway' }),
    expected: (n) => ({
      name: `lst-${n}`,
      protocol: 'rdp',
      mode: 'gateway',
      listen_ip: '0.0.0.0',
      listen_port: null,
      external_address: null,
      external_port: null,
      blocked: false,
      reason: null,
    }),
    patch: { listen_ip: '10.1.1.1' },
  },
  {
    section: '§1.8 Users',
    path: '/api/system/users',
    body: (n) => ({ name: `usr-${n}`, role: 'admin', password: `user-pw-literal-${n}` }),
    expected: (n) => ({
      name: `usr-${n}`,
      role: 'admin',
      full_name: null,
      email: null,
      blocked: false,
      reason: null,
    }),
    patch: { full_name: 'Ada Lovelace' },
  },
];

describe.each(CASES)('$section: the five calls', ({ path, body, expected, patch }) => {
  it('POST is 201 with the object (defaults filled, timestamps set)', async () => {
    const reply = await call('POST', path, { body: body(10) });
    expect(reply).toEqual({
      status: 201,
      body: { id: expect.any(Number), ...expected(10), created_at: STAMP, modified_at: STAMP },
    });
  });

  it('GET list is 200 [objects]; bad page 400; no token 401; service role 403', async () => {
    const list = await call('GET', path);
    expect(list.status).toBe(200);
    expect(list.body).toEqual(expect.arrayContaining([expect.objectContaining(expected(10))]));
    expect(Object.keys((await call('GET', `${path}?page=nope`)).body)).toEqual(['page']);
    expect((await call('GET', path, { auth: null })).status).toBe(401);
    expect((await call('GET', path, { auth: userSession })).status).toBe(403);
  });

  it('GET by id is 200; unknown id 404', async () => {
    const created = await post(path, body(11));
    expect((await call('GET', `${path}/${created.id}`)).body).toEqual(created);
    expect(await call('GET', `${path}/98765`)).toEqual({ status: 404, body: { detail: 'Not found.' } });
  });

  it('PATCH changes only the given fields (200); PUT replaces (200) and resets omitted fields', async () => {
    const created = await post(path, body(12));
    const patched = await call('PATCH', `${path}/${created.id}`, { body: patch });
    expect(patched).toEqual({ status: 200, body: { ...created, ...patch, modified_at: STAMP } });
    const put = await call('PUT', `${path}/${created.id}`, { body: body(12) });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...created, modified_at: STAMP });
    expect(put.body.created_at).toBe(created.created_at);
  });

  it('PUT/PATCH: 400 on a bad body, 404 on an unknown id, 403 for the operator', async () => {
    const created = await post(path, body(13));
    const bad = await call('PATCH', `${path}/${created.id}`, { body: { name: '' } });
    expect(bad).toEqual({ status: 400, body: { name: ['This field may not be blank.'] } });
    expect((await call('PUT', `${path}/98765`, { body: body(99) })).status).toBe(404);
    expect((await call('PATCH', `${path}/98765`, { body: patch })).status).toBe(404);
    expect((await call('PATCH', `${path}/${created.id}`, { auth: OP, body: patch })).status).toBe(403);
  });

  it('DELETE is 204 then 404; POST by the operator 403; duplicate name (any case) 400', async () => {
    const created = await post(path, body(14));
    expect((await call('POST', path, { auth: OP, body: body(15) })).status).toBe(403);
    const dup = { ...body(16), name: String(created.name).toUpperCase() };
    const reply = await call('POST', path, { body: dup });
    expect(reply.status).toBe(400);
    expect(reply.body.name).toEqual([expect.stringMatching(/with this name already exists\.$/)]);
    expect((await call('DELETE', `${path}/${created.id}`)).status).toBe(204);
    expect((await call('DELETE', `${path}/${created.id}`)).status).toBe(404);
  });
});

describe('§1.5 Servers: field rules', () => {
  const server = (extra: Json) => ({
    name: 'rule-srv',
    address: '198.51.100.1',
    port: 22,
    protocol: 'ssh',
    ...extra,
  });
  it.each<[string, Json, Json]>([
    ['missing address', { address: undefined }, { address: ['This field is required.'] }],
    ['bad address', { address: 'web-01' }, { address: ['Enter a valid IPv4 or IPv6 address.'] }],
    ['mask 129', { mask: 129 }, { mask: ['Ensure this value is less than or equal to 128.'] }],
    ['port 0', { port: 0 }, { port: ['Ensure this value is greater than or equal to 1.'] }],
    ['port 65536', { port: 65536 }, { port: ['Ensure this value is less than or equal to 65535.'] }],
    ['port as a string', { port: '22' }, { port: ['A valid integer is required.'] }],
    ['missing protocol', { protocol: undefined }, { protocol: ['This field is required.'] }],
    ['bad protocol', { protocol: 'ftp' }, { protocol: ['"ftp" is not a valid choice.'] }],
    ['bad bind_ip', { bind_ip: 'any' }, { bind_ip: ['Enter a valid IPv4 or IPv6 address.'] }],
    [
      'description over 1024',
      { description: 'd'.repeat(1025) },
      { description: ['Ensure this field has no more than 1024 characters.'] },
    ],
    [
      'blocked without reason',
      { blocked: true },
      { reason: ['This field is required when blocked is true.'] },
    ],
  ])('§1.5 %s is 400', async (_label, extra, errors) => {
    expect(await call('POST', '/api/system/servers', { body: server(extra) })).toEqual({
      status: 400,
      body: errors,
    });
  });

  it('§1.5 IPv6, a subnet mask and a blocked server with reason are accepted', async () => {
    const v6 = await post(
      '/api/system/servers',
      server({ name: 'v6', address: '2001:db8::1', bind_ip: '::1' }),
    );
    expect(v6).toMatchObject({ address: '2001:db8::1', bind_ip: '::1' });
    const net = await post('/api/system/servers', server({ name: 'net', address: '10.20.30.0', mask: 24 }));
    expect(net.mask).toBe(24);
    const blocked = await post(
      '/api/system/servers',
      server({ name: 'blk', port: 2200, blocked: true, reason: 'audit' }),
    );
    expect(blocked).toMatchObject({ blocked: true, reason: 'audit' });
  });

  it('§1.5 (address, mask, port) is unique together; the same address on another port is fine', async () => {
    await post('/api/system/servers', server({ name: 'pair-a', address: '198.51.100.7' }));
    const clash = await call('POST', '/api/system/servers', {
      body: server({ name: 'pair-b', address: '198.51.100.7' }),
    });
    expect(clash).toEqual({
      status: 400,
      body: { non_field_errors: ['The fields address, mask, port must make a unique set.'] },
    });
    await post(
      '/api/system/servers',
      server({ name: 'pair-c', address: '198.51.100.7', port: 3389, protocol: 'rdp' }),
    );
  });

  it('§1.5 protocol is immutable (400 on change)', async () => {
    const created = await post('/api/system/servers', server({ name: 'imm-srv', address: '198.51.100.9' }));
    const reply = await call('PATCH', `/api/system/servers/${created.id}`, { body: { protocol: 'rdp' } });
    expect(reply).toEqual({ status: 400, body: { protocol: ['This field cannot be changed.'] } });
  });

  it('§1.5 deleting a server that accounts use is 400 non_field_errors', async () => {
    const created = await post('/api/system/servers', server({ name: 'used-srv', address: '198.51.100.10' }));
    await post('/api/system/accounts', { name: 'uses-srv', type: 'anonymous', server_id: created.id });
    const reply = await call('DELETE', `/api/system/servers/${created.id}`);
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body)).toEqual(['non_field_errors']);
  });
});

describe('§1.6 Safes: field rules', () => {
  it.each<[string, Json, Json]>([
    ['missing name', {}, { name: ['This field is required.'] }],
    [
      'negative required_votes',
      { name: 's', required_votes: -1 },
      { required_votes: ['Ensure this value is greater than or equal to 0.'] },
    ],
    [
      'negative time_limit',
      { name: 's', time_limit: -5 },
      { time_limit: ['Ensure this value is greater than or equal to 0.'] },
    ],
    [
      'inactivity_limit as a string',
      { name: 's', inactivity_limit: '5' },
      { inactivity_limit: ['A valid integer is required.'] },
    ],
    [
      'bad note_access',
      { name: 's', note_access: 'admin' },
      { note_access: ['"admin" is not a valid choice.'] },
    ],
    ['webclient not a boolean', { name: 's', webclient: 1 }, { webclient: ['Must be a valid boolean.'] }],
    [
      'blocked without reason',
      { name: 's', blocked: true },
      { reason: ['This field is required when blocked is true.'] },
    ],
  ])('§1.6 %s is 400', async (_label, body, errors) => {
    expect(await call('POST', '/api/system/safes', { body })).toEqual({ status: 400, body: errors });
  });
});

describe('§1.7 Listeners: field rules', () => {
  const listener = (extra: Json) => ({ name: 'rule-l', protocol: 'ssh', mode: 'gateway', ...extra });
  it.each<[string, Json, Json]>([
    ['missing mode', { mode: undefined }, { mode: ['This field is required.'] }],
    ['bad mode', { mode: 'relay' }, { mode: ['"relay" is not a valid choice.'] }],
    ['bad protocol', { protocol: 'smtp' }, { protocol: ['"smtp" is not a valid choice.'] }],
    ['proxy without listen_port', { mode: 'proxy' }, { listen_port: ['This field is required.'] }],
    [
      'bastion with null listen_port',
      { mode: 'bastion', listen_port: null },
      { listen_port: ['This field is required when mode is bastion or proxy.'] },
    ],
    [
      'listen_port 70000',
      { listen_port: 70000 },
      { listen_port: ['Ensure this value is less than or equal to 65535.'] },
    ],
    ['bad listen_ip', { listen_ip: 'localhost' }, { listen_ip: ['Enter a valid IPv4 or IPv6 address.'] }],
    [
      'external_address without port',
      { external_address: 'pam.example.com' },
      { external_port: ['This field is required when external_address is set.'] },
    ],
    [
      'blocked without reason',
      { blocked: true },
      { reason: ['This field is required when blocked is true.'] },
    ],
  ])('§1.7 %s is 400', async (_label, extra, errors) => {
    expect(await call('POST', '/api/system/listeners', { body: listener(extra) })).toEqual({
      status: 400,
      body: errors,
    });
  });

  it('§1.7 a proxy listener with port and external address is accepted; protocol is immutable', async () => {
    const created = await post(
      '/api/system/listeners',
      listener({
        name: 'proxy-ok',
        mode: 'proxy',
        listen_port: 2222,
        external_address: 'pam.example.com',
        external_port: 22,
      }),
    );
    expect(created).toMatchObject({
      listen_port: 2222,
      external_address: 'pam.example.com',
      external_port: 22,
    });
    const reply = await call('PUT', `/api/system/listeners/${created.id}`, {
      body: listener({ name: 'proxy-ok', protocol: 'rdp' }),
    });
    expect(reply).toEqual({ status: 400, body: { protocol: ['This field cannot be changed.'] } });
  });
});

describe('§1.8 Users: field rules', () => {
  it.each<[string, Json, Json]>([
    ['missing role', { name: 'u' }, { role: ['This field is required.'] }],
    ['bad role', { name: 'u', role: 'root' }, { role: ['"root" is not a valid choice.'] }],
    [
      'bad email',
      { name: 'u', role: 'user', email: 'not-an-email' },
      { email: ['Enter a valid email address.'] },
    ],
    [
      'password not a string',
      { name: 'u', role: 'user', password: 1234 },
      { password: ['Not a valid string.'] },
    ],
    [
      'blocked without reason',
      { name: 'u', role: 'user', blocked: true },
      { reason: ['This field is required when blocked is true.'] },
    ],
  ])('§1.8 %s is 400', async (_label, body, errors) => {
    expect(await call('POST', '/api/system/users', { body })).toEqual({ status: 400, body: errors });
  });

  it('§1.8 the password is write-only but lets the user log in; PATCH of other fields keeps it', async () => {
    const user = await post('/api/system/users', {
      name: 'pw-user',
      role: 'admin',
      email: 'a@example.com',
      password: 'user-pw-literal-x',
    });
    expect(user).not.toHaveProperty('password');
    await call('PATCH', `/api/system/users/${user.id}`, { body: { full_name: 'Pat User' } });
    const login = await call('POST', '/api/system/login', {
      auth: null,
      body: { username: 'pw-user', password: 'user-pw-literal-x' },
    });
    expect(login.status).toBe(200);
    for (const text of seen) expect(text).not.toContain('user-pw-literal');
  });

  it("§1.8 a deleted user's session stops working (401)", async () => {
    await post('/api/system/users', { name: 'gone-user', role: 'admin', password: 'gone-pw' });
    const login = await call('POST', '/api/system/login', {
      auth: null,
      body: { username: 'gone-user', password: 'gone-pw' },
    });
    const session = (login.body as { sessionid: string }).sessionid;
    const id = sim.state.users.findByName('gone-user')?.id;
    expect((await call('DELETE', `/api/system/users/${id}`)).status).toBe(204);
    expect((await call('GET', '/api/system/users', { auth: session })).status).toBe(401);
  });
});

describe('§1.9 Password change policies', () => {
  it('§1.9 GET list is 200 with policy 1 "Static"', async () => {
    expect(await call('GET', '/api/system/password_change_policies')).toEqual({
      status: 200,
      body: [{ id: 1, name: 'Static', change_frequency: 0, complexity_length: 0 }],
    });
    expect((await call('GET', '/api/system/password_change_policies?page=2')).body).toEqual([]);
    expect((await call('GET', '/api/system/password_change_policies?page_size=0')).status).toBe(400);
  });

  it('§1.9 GET by id is 200, unknown id 404', async () => {
    expect((await call('GET', '/api/system/password_change_policies/1')).body).toMatchObject({
      id: 1,
      name: 'Static',
    });
    expect((await call('GET', '/api/system/password_change_policies/2')).status).toBe(404);
  });

  it.each([
    ['POST', '/api/system/password_change_policies'],
    ['PUT', '/api/system/password_change_policies/1'],
    ['PATCH', '/api/system/password_change_policies/1'],
    ['DELETE', '/api/system/password_change_policies/1'],
  ])('§1.9 %s %s is 405', async (method, path) => {
    expect((await call(method, path, { body: {} })).status).toBe(405);
  });

  it('§1.9 401 without a token, 403 for the service role', async () => {
    expect((await call('GET', '/api/system/password_change_policies', { auth: null })).status).toBe(401);
    expect((await call('GET', '/api/system/password_change_policies', { auth: userSession })).status).toBe(
      403,
    );
  });
});

describe('§1.4 Safe assignments', () => {
  let safe: number;
  let ssh1: number;
  let ssh2: number;
  let a1: number;
  let a2: number;
  const path = () => `/api/system/safes/${safe}/accounts`;
  beforeAll(async () => {
    const server = await post('/api/system/servers', {
      name: 'asg-srv',
      address: '203.0.113.5',
      port: 22,
      protocol: 'ssh',
    });
    a1 = (await post('/api/system/accounts', { name: 'asg-a1', type: 'anonymous', server_id: server.id })).id;
    a2 = (await post('/api/system/accounts', { name: 'asg-a2', type: 'anonymous', server_id: server.id })).id;
    ssh1 = (await post('/api/system/listeners', { name: 'asg-l1', protocol: 'ssh', mode: 'gateway' })).id;
    ssh2 = (await post('/api/system/listeners', { name: 'asg-l2', protocol: 'telnet', mode: 'gateway' })).id;
    safe = (await post('/api/system/safes', { name: 'asg-safe' })).id;
  });

  it('§1.4 POST is 201 with the Assignment', async () => {
    expect(await call('POST', path(), { body: { account_id: a2, listener_id: ssh1 } })).toEqual({
      status: 201,
      body: {
        account_id: a2,
        listener_id: ssh1,
        account: { id: a2, name: 'asg-a2' },
        listener: { id: ssh1, name: 'asg-l1' },
      },
    });
  });

  it('§1.4 GET lists in (account_id, listener_id) order; an account may appear through several listeners', async () => {
    await call('POST', path(), { body: { account_id: a1, listener_id: ssh2 } });
    await call('POST', path(), { body: { account_id: a1, listener_id: ssh1 } });
    const reply = await call('GET', path());
    expect(reply.status).toBe(200);
    const pairs = (reply.body as unknown as { account_id: number; listener_id: number }[]).map((a) => [
      a.account_id,
      a.listener_id,
    ]);
    expect(pairs).toEqual([
      [a1, ssh1],
      [a1, ssh2],
      [a2, ssh1],
    ]);
    expect((await call('GET', `${path()}?page=2&page_size=2`)).body).toHaveLength(1);
  });

  it.each<[string, () => Json, Json]>([
    [
      'missing ids',
      () => ({}),
      { account_id: ['This field is required.'], listener_id: ['This field is required.'] },
    ],
    [
      'unknown account',
      () => ({ account_id: 999, listener_id: ssh1 }),
      { account_id: ['Invalid pk "999" - object does not exist.'] },
    ],
    [
      'unknown listener',
      () => ({ account_id: a1, listener_id: 999 }),
      { listener_id: ['Invalid pk "999" - object does not exist.'] },
    ],
    [
      'duplicate triple',
      () => ({ account_id: a1, listener_id: ssh1 }),
      { non_field_errors: ['This account is already assigned to this safe through this listener.'] },
    ],
  ])('§1.4 POST with %s is 400', async (_label, body, errors) => {
    expect(await call('POST', path(), { body: body() })).toEqual({ status: 400, body: errors });
  });

  it('§1.4 unknown safe is 404 for GET, POST and DELETE; 400 list page first', async () => {
    expect((await call('GET', '/api/system/safes/999/accounts')).status).toBe(404);
    expect((await call('GET', '/api/system/safes/999/accounts?page=x')).status).toBe(400);
    expect(
      (await call('POST', '/api/system/safes/999/accounts', { body: { account_id: a1, listener_id: ssh1 } }))
        .status,
    ).toBe(404);
    expect((await call('DELETE', `/api/system/safes/999/accounts/${a1}`)).status).toBe(404);
  });

  it('§1.4 401 without a token, 403 for operator writes and the service role, 405 for PUT', async () => {
    expect((await call('GET', path(), { auth: null })).status).toBe(401);
    expect(
      (await call('POST', path(), { auth: OP, body: { account_id: a1, listener_id: ssh1 } })).status,
    ).toBe(403);
    expect((await call('DELETE', `${path()}/${a1}`, { auth: OP })).status).toBe(403);
    expect((await call('GET', path(), { auth: userSession })).status).toBe(403);
    expect((await call('PUT', path(), { body: {} })).status).toBe(405);
  });

  it('§1.7 deleting a listener that assignments use is 400 non_field_errors', async () => {
    const reply = await call('DELETE', `/api/system/listeners/${ssh2}`);
    expect(reply).toEqual({
      status: 400,
      body: { non_field_errors: ['This listener is used by safe assignments and cannot be deleted.'] },
    });
  });

  it('§1.4 DELETE removes every assignment of that account in the safe (204), then 404', async () => {
    expect((await call('DELETE', `${path()}/${a1}`)).status).toBe(204);
    const left = (await call('GET', path())).body as unknown as { account_id: number }[];
    expect(left.map((a) => a.account_id)).toEqual([a2]);
    expect((await call('DELETE', `${path()}/${a1}`)).status).toBe(404);
  });

  it('§1.6 deleting a safe deletes its assignments', async () => {
    expect((await call('DELETE', `/api/system/safes/${safe}`)).status).toBe(204);
    expect(sim.state.assignments.has(safe)).toBe(false);
    expect((await call('DELETE', `/api/system/listeners/${ssh1}`)).status).toBe(204);
  });
});
