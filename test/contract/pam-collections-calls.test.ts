/**
 * docs/upstreams.md §1.5–§1.8 through real HTTP against an empty simulator: the five calls of servers, safes,
 * listeners and users (create, list, get, PATCH, PUT, DELETE with their 404s and refusals), then the user rules,
 * which end with the password being in no response the file received.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, OP, pamCollectionsContract, STAMP } from '../support/pam-collections-contract.js';

const contract = pamCollectionsContract();
const { call, post, seen } = contract;
let sim: ReturnType<typeof contract.current>['sim'];
let userSession: string;
beforeAll(() => {
  ({ sim, userSession } = contract.current());
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
