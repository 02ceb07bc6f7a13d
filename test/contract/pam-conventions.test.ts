/** docs/upstreams.md §1.1 (PAM conventions), through real HTTP against an empty simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPamSimulator } from '../../src/simulator/index.js';
import { simulatorClient } from '../support/seed.js';

const SU = DEMO_CREDENTIALS.pam.superadminToken;
const OP = DEMO_CREDENTIALS.pam.operatorToken;
let sim: Awaited<ReturnType<typeof startPamSimulator>>;

/** A direct call with the superadmin's token unless `auth` says otherwise (null: none). */
const call = simulatorClient(() => sim.url, SU);

async function createUser(name: string, role: string, password = 'pw-secret-123') {
  const reply = await call('POST', '/api/system/users', { body: { name, role, password } });
  expect(reply.status).toBe(201);
  return reply.body as { id: number; name: string };
}

async function sessionOf(name: string, password: string): Promise<string> {
  const reply = await call('POST', '/api/system/login', { auth: null, body: { username: name, password } });
  expect(reply.status).toBe(200);
  return (reply.body as { sessionid: string }).sessionid;
}

const UNAUTH = { detail: 'Authentication credentials were not provided or are invalid.' };

beforeAll(async () => {
  sim = await startPamSimulator({ empty: true });
});
afterAll(async () => {
  await sim.stop();
});

describe('§1.1 Authentication', () => {
  it('§1.1 a demo API key in Authorization (no prefix) is accepted', async () => {
    const reply = await call('GET', '/api/system/users');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual([
      expect.objectContaining({ id: 1, name: 'demo-superadmin', role: 'superadmin' }),
      expect.objectContaining({ id: 2, name: 'demo-operator', role: 'operator' }),
    ]);
  });

  it.each([
    ['missing', null],
    ['unknown', 'not-a-token'],
    ['prefixed', `Token ${SU}`],
  ])('§1.1 a %s token is 401 with the detail body', async (_label, token) => {
    const reply = await call('GET', '/api/system/accounts', { auth: token });
    expect(reply).toMatchObject({ status: 401, body: UNAUTH });
  });

  it('§1.1 login with the right password answers 200 {sessionid}, usable as the token', async () => {
    const { superadminName, superadminPassword } = DEMO_CREDENTIALS.pam;
    const session = await sessionOf(superadminName, superadminPassword);
    expect(session).toMatch(/^[0-9a-f]{40}$/);
    expect((await call('GET', '/api/system/servers', { auth: session })).status).toBe(200);
  });

  it.each([
    ['wrong password', { username: 'demo-superadmin', password: 'nope' }],
    ['unknown user', { username: 'ghost', password: 'x' }],
    ['missing password', { username: 'demo-superadmin' }],
    ['blank credentials', { username: '', password: '' }],
  ])('§1.1 login with %s is 401', async (_label, body) => {
    const reply = await call('POST', '/api/system/login', { auth: null, body });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(UNAUTH);
  });

  it('§1.1 login needs no token, and other methods on it are 405', async () => {
    expect((await call('GET', '/api/system/login', { auth: null })).status).toBe(405);
  });
});

describe('§1.1 Who may do what', () => {
  it('§1.1 operator writes are 403 {detail}', async () => {
    const reply = await call('POST', '/api/system/safes', { auth: OP, body: { name: 'op-safe' } });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ detail: expect.any(String) });
    expect((await call('DELETE', '/api/system/users/1', { auth: OP })).status).toBe(403);
  });

  it('§1.1 operator reads of non-account collections are allowed', async () => {
    expect((await call('GET', '/api/system/users', { auth: OP })).status).toBe(200);
    expect((await call('GET', '/api/system/password_change_policies/1', { auth: OP })).status).toBe(200);
  });

  it.each(['user', 'service'])('§1.1 role %s is 403 on every call, even reads', async (role) => {
    await createUser(`plain-${role}`, role, 'pw-of-plain');
    const session = await sessionOf(`plain-${role}`, 'pw-of-plain');
    for (const path of [
      '/api/system/accounts',
      '/api/system/users/1',
      '/api/system/password_change_policies',
    ]) {
      const reply = await call('GET', path, { auth: session });
      expect(reply.status).toBe(403);
    }
    expect((await call('POST', '/api/system/safes', { auth: session, body: { name: 'x' } })).status).toBe(
      403,
    );
  });

  it('§1.1 an admin may write', async () => {
    await createUser('an-admin', 'admin', 'admin-pw');
    const session = await sessionOf('an-admin', 'admin-pw');
    expect(
      (await call('POST', '/api/system/safes', { auth: session, body: { name: 'admin-safe' } })).status,
    ).toBe(201);
  });
});

describe('§1.1 Order of checks', () => {
  it('§1.1 unknown path is 404 before 401', async () => {
    const reply = await call('GET', '/api/system/nothing', { auth: null });
    expect(reply).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
  });

  it('§1.1 a trailing slash is an unknown path (404)', async () => {
    expect((await call('GET', '/api/system/accounts/')).status).toBe(404);
    expect((await call('GET', '/api/system/servers/1/')).status).toBe(404);
  });

  it('§1.1 401 comes before 405', async () => {
    expect((await call('POST', '/api/system/accounts/1', { auth: null })).status).toBe(401);
  });

  it('§1.1 405 comes before 403, with an Allow header', async () => {
    const res = await call('POST', '/api/system/accounts/1', { auth: OP });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, PATCH, DELETE');
  });

  it('§1.1 403 comes before 400', async () => {
    expect((await call('POST', '/api/system/servers', { auth: OP, body: '{broken' })).status).toBe(403);
  });

  it('§1.1 400 comes before the unknown-id 404', async () => {
    const reply = await call('PUT', '/api/system/safes/999', { body: { blocked: 'yes' } });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ name: ['This field is required.'], blocked: ['Must be a valid boolean.'] });
    expect((await call('PUT', '/api/system/safes/999', { body: { name: 'fine' } })).status).toBe(404);
  });

  it('§1.1 a non-numeric id in the path is an unknown id (404 after auth)', async () => {
    expect((await call('GET', '/api/system/users/abc', { auth: null })).status).toBe(401);
    expect(await call('GET', '/api/system/users/abc')).toMatchObject({
      status: 404,
      body: { detail: 'Not found.' },
    });
  });
});

describe('§1.1 Bodies', () => {
  it.each([
    ['invalid JSON', '{"name": '],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"safe"'],
    ['an empty body', ''],
  ])('§1.1 %s is 400 Malformed JSON body.', async (_label, body) => {
    const reply = await call('POST', '/api/system/safes', { body });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ non_field_errors: ['Malformed JSON body.'] });
  });

  it('§1.1 read-only and unknown fields are ignored', async () => {
    const body = { name: 'ro-safe', id: 777, created_at: 'yesterday', colour: 'blue' };
    const reply = await call('POST', '/api/system/safes', { body });
    expect(reply.status).toBe(201);
    const safe = reply.body as Record<string, unknown>;
    expect(safe.id).not.toBe(777);
    expect(safe.colour).toBeUndefined();
    expect(safe.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);
  });

  it('§1.1 delete answers 204 with no body', async () => {
    const safe = (await call('POST', '/api/system/safes', { body: { name: 'to-delete' } })).body as {
      id: number;
    };
    const reply = await call('DELETE', `/api/system/safes/${safe.id}`);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
  });
});

describe('§1.1 Pagination', () => {
  beforeAll(async () => {
    for (let i = 1; i <= 5; i++) await call('POST', '/api/system/listeners', { body: listener(`page-${i}`) });
  });
  const listener = (name: string) => ({ name, protocol: 'ssh', mode: 'gateway' });
  const names = async (query: string) => {
    const reply = await call('GET', `/api/system/listeners${query}`);
    expect(reply.status).toBe(200);
    return (reply.body as { name: string }[]).map((l) => l.name);
  };

  it('§1.1 pagination: no parameters return the whole collection in ascending id order', async () => {
    expect(await names('')).toEqual(['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
  });

  it('§1.1 pagination: page and page_size slice the collection', async () => {
    expect(await names('?page=2&page_size=2')).toEqual(['page-3', 'page-4']);
  });

  it('§1.1 pagination: only page_size means page 1', async () => {
    expect(await names('?page_size=3')).toEqual(['page-1', 'page-2', 'page-3']);
  });

  it('§1.1 pagination: only page means a page_size of 100', async () => {
    expect(await names('?page=1')).toHaveLength(5);
    expect(await names('?page=2')).toEqual([]);
  });

  it('§1.1 pagination: a page past the end is 200 []', async () => {
    expect(await names('?page=9&page_size=2')).toEqual([]);
  });

  it('§1.1 pagination: unknown query parameters are ignored', async () => {
    expect(await names('?page_size=1&sort=-name&name=page-5')).toEqual(['page-1']);
  });

  it.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=x', 'page'],
    ['page=1.5', 'page'],
    ['page_size=0', 'page_size'],
    ['page_size=1001', 'page_size'],
    ['page_size=', 'page_size'],
  ])('§1.1 pagination: %s is 400 naming %s', async (query, param) => {
    const reply = await call('GET', `/api/system/listeners?${query}`);
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body as object)).toEqual([param]);
  });

  it('§1.1 pagination: page_size 1000 is the largest allowed', async () => {
    expect(await names('?page_size=1000')).toHaveLength(5);
  });
});
