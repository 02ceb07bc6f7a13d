/**
 * docs/upstreams.md §1.2 accounts through real HTTP against an empty simulator: the endpoints (create, list,
 * get, delete, 404s, 401/403/405) and how PUT replaces and PATCH merges.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, OP, pamAccountsContract, SECRET, SECRET2 } from '../support/pam-accounts-contract.js';

const contract = pamAccountsContract();
const { call, regular, createAccount } = contract;
let sim: ReturnType<typeof contract.current>['sim'];
let serverId: number;
let userSession: string;
beforeAll(() => {
  ({ sim, serverId, userSession } = contract.current());
});

describe('§1.2 Accounts: endpoints', () => {
  it('§1.2 POST creates an account: 201 with the full AccountModel', async () => {
    const reply = await call('POST', '/api/system/accounts', { body: regular('root@web-01-ssh') });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      id: expect.any(Number),
      name: 'root@web-01-ssh',
      type: 'regular',
      blocked: false,
      server_id: serverId,
      server: { id: serverId, name: 'web-01-ssh' },
      credentials: {
        domain: '',
        login: 'root',
        method: 'password',
        public_key: null,
        password_change_policy_id: 1,
        password_change_policy: { id: 1, name: 'Static' },
      },
      dump_mode: 'all',
      ocr_enabled: false,
      ocr_lang: '',
      password_lastupdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/),
      password_change_request: null,
      password_checkout_time_limit: null,
      password_recovery: false,
      retention: null,
      accountpasswordchanger_set: [],
    });
  });

  it('§1.2 GET list is 200 [AccountModel] in ascending id order', async () => {
    await createAccount(regular('list-b'));
    const reply = await call('GET', '/api/system/accounts');
    expect(reply.status).toBe(200);
    const ids = (reply.body as unknown as { id: number }[]).map((a) => a.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.length).toBeGreaterThanOrEqual(2);
  });

  it('§1.2 GET by id is 200, unknown id is 404 {detail}', async () => {
    const account = await createAccount(regular('get-me'));
    expect((await call('GET', `/api/system/accounts/${account.id}`)).body).toEqual(account);
    expect(await call('GET', '/api/system/accounts/9999')).toEqual({
      status: 404,
      body: { detail: 'Not found.' },
    });
  });

  it('§1.2 DELETE is 204, then the account is 404; unknown id is 404', async () => {
    const account = await createAccount(regular('delete-me'));
    expect((await call('DELETE', `/api/system/accounts/${account.id}`)).status).toBe(204);
    expect((await call('GET', `/api/system/accounts/${account.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/system/accounts/${account.id}`)).status).toBe(404);
  });

  it('§1.2 PUT and PATCH on an unknown id are 404', async () => {
    expect((await call('PUT', '/api/system/accounts/9999', { body: regular('ghost') })).status).toBe(404);
    expect((await call('PATCH', '/api/system/accounts/9999', { body: { blocked: true } })).status).toBe(404);
  });

  it('§1.2 list with a bad page is 400, without a token 401, for a user role 403', async () => {
    expect((await call('GET', '/api/system/accounts?page=0')).body).toEqual({
      page: ['Ensure this value is greater than or equal to 1.'],
    });
    expect((await call('GET', '/api/system/accounts', { auth: 'wrong' })).status).toBe(401);
    expect((await call('GET', '/api/system/accounts', { auth: userSession })).status).toBe(403);
  });

  it.each([
    ['POST', '/api/system/accounts'],
    ['PUT', '/api/system/accounts/1'],
    ['PATCH', '/api/system/accounts/1'],
    ['DELETE', '/api/system/accounts/1'],
  ])('§1.2 operator %s %s is 403', async (method, path) => {
    const reply = await call(method, path, { auth: OP, body: regular('op-write') });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({ detail: 'You do not have permission to perform this action.' });
  });

  it('§1.1 unsupported methods on accounts are 405', async () => {
    expect((await call('POST', '/api/system/accounts/1', { body: {} })).status).toBe(405);
    expect((await call('PUT', '/api/system/accounts', { body: {} })).status).toBe(405);
  });
});

describe('§1.2 Accounts: PUT replaces, PATCH merges', () => {
  it('§1.2 immutable type: changing it by PATCH or PUT is 400 on type', async () => {
    const account = await createAccount(regular('immutable-type'));
    const patch = await call('PATCH', `/api/system/accounts/${account.id}`, { body: { type: 'forward' } });
    expect(patch).toEqual({ status: 400, body: { type: ['This field cannot be changed.'] } });
    const put = await call('PUT', `/api/system/accounts/${account.id}`, {
      body: regular('immutable-type', { type: 'forward' }),
    });
    expect(put.status).toBe(400);
    expect(put.body.type).toEqual(['This field cannot be changed.']);
    expect(
      (await call('PATCH', `/api/system/accounts/${account.id}`, { body: { type: 'regular' } })).status,
    ).toBe(200);
  });

  it('§1.2 PUT replaces credentials whole: the secret must be sent again', async () => {
    const account = await createAccount(regular('put-secret'));
    const { secret: _omit, ...withoutSecret } = regular('put-secret').credentials as Json;
    const put = await call('PUT', `/api/system/accounts/${account.id}`, {
      body: regular('put-secret', { credentials: withoutSecret }),
    });
    expect(put).toEqual({ status: 400, body: { 'credentials.secret': ['This field is required.'] } });
  });

  it('§1.2 PUT resets omitted optional fields to their defaults', async () => {
    const account = await createAccount(
      regular('put-reset', { dump_mode: 'raw', retention: 30, blocked: true }),
    );
    const put = await call('PUT', `/api/system/accounts/${account.id}`, { body: regular('put-reset') });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ dump_mode: 'all', retention: null, blocked: false });
    expect(put.body.password_lastupdate).toBe(account.password_lastupdate);
  });

  it('§1.2 PATCH merges credentials: the stored secret is kept, password_lastupdate unchanged', async () => {
    const account = await createAccount(regular('patch-merge'));
    const patch = await call('PATCH', `/api/system/accounts/${account.id}`, {
      body: { credentials: { domain: 'CORP' } },
    });
    expect(patch.status).toBe(200);
    expect(patch.body.credentials).toMatchObject({ domain: 'CORP', login: 'root', method: 'password' });
    expect(patch.body.password_lastupdate).toBe(account.password_lastupdate);
    expect(sim.state.accounts.get(account.id)?.credentials?.secret).toBe(SECRET);
  });

  it('§1.2 PATCH of a new secret stores it and moves password_lastupdate', async () => {
    const account = await createAccount(regular('patch-secret'));
    sim.state.now = () => new Date('2030-01-02T03:04:05.678Z');
    try {
      const patch = await call('PATCH', `/api/system/accounts/${account.id}`, {
        body: { credentials: { secret: SECRET2 } },
      });
      expect(patch.body.password_lastupdate).toBe('2030-01-02T03:04:05.678000+00:00');
    } finally {
      sim.state.now = () => new Date();
    }
    expect(sim.state.accounts.get(account.id)?.credentials?.secret).toBe(SECRET2);
  });

  it('§1.2 PATCH validates the merged object (switching to ssh-key needs a private_key)', async () => {
    const account = await createAccount(regular('patch-method'));
    const patch = await call('PATCH', `/api/system/accounts/${account.id}`, {
      body: { credentials: { method: 'ssh-key' } },
    });
    expect(patch).toEqual({ status: 400, body: { 'credentials.private_key': ['This field is required.'] } });
  });

  it('§1.2 PATCH leaves other fields alone and keeps the changer list when it is not sent', async () => {
    const set = [{ id: 7, position: 0, timeout: 60, privileged_mode_password: 'enable-literal-pw' }];
    const account = await createAccount(
      regular('patch-keep', { retention: 90, accountpasswordchanger_set: set }),
    );
    const patch = await call('PATCH', `/api/system/accounts/${account.id}`, { body: { blocked: true } });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ blocked: true, retention: 90, name: 'patch-keep' });
    expect(patch.body.accountpasswordchanger_set).toEqual(account.accountpasswordchanger_set);
  });

  it('§1.2 the changer list is written whole by PATCH: its passwords must be sent again', async () => {
    const set = [{ id: 7, position: 0, timeout: 60, privileged_mode_password: 'enable-literal-pw' }];
    const account = await createAccount(regular('patch-list', { accountpasswordchanger_set: set }));
    const again = [{ id: 7, position: 0, timeout: 90 }];
    const patch = await call('PATCH', `/api/system/accounts/${account.id}`, {
      body: { accountpasswordchanger_set: again },
    });
    expect(patch).toEqual({
      status: 400,
      body: { 'accountpasswordchanger_set.0.privileged_mode_password': ['This field is required.'] },
    });
  });

  it('§1.2 renaming a server shows in the account server {id, name}', async () => {
    const server = await call('POST', '/api/system/servers', {
      body: { name: 'rename-me', address: '10.0.0.2', port: 22, protocol: 'ssh' },
    });
    const id = (server.body as { id: number }).id;
    const account = await createAccount(regular('follows-server', { server_id: id }));
    await call('PATCH', `/api/system/servers/${id}`, { body: { name: 'renamed' } });
    expect((await call('GET', `/api/system/accounts/${account.id}`)).body.server).toEqual({
      id,
      name: 'renamed',
    });
  });
});

contract.describeWriteOnlyCheck(40);
