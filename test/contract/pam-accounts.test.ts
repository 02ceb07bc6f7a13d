/** docs/upstreams.md §1.2 accounts and §1.3 granted users, through real HTTP against an empty simulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPamSimulator } from '../../src/simulator/index.js';
import { type SimulatorCall, simulatorClient } from '../support/seed.js';

const SU = DEMO_CREDENTIALS.pam.superadminToken;
const OP = DEMO_CREDENTIALS.pam.operatorToken;
const OPERATOR_ID = 2;
/** Write-only values: none of them may ever appear in a response body. */
const SECRET = 'S3cret-literal-7f1c';
const SECRET2 = 'S3cret-second-9a2b';
const PRIVATE_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nPRIVKEY-literal-abc\n-----END OPENSSH PRIVATE KEY-----';
const WRITE_ONLY = [
  SECRET,
  SECRET2,
  'PRIVKEY-literal-abc',
  'enable-literal-pw',
  'priv-literal-pw',
  'ssh-literal-pw',
];
const seen: string[] = [];
let sim: Awaited<ReturnType<typeof startPamSimulator>>;
let serverId: number;
let userSession: string;

type Json = Record<string, unknown>;

const pam = simulatorClient(() => sim.url, SU);

/** A direct call (superadmin unless `auth` says otherwise); every response text is kept in `seen`. */
async function call(method: string, path: string, options: SimulatorCall = {}) {
  const reply = await pam<Json>(method, path, options);
  seen.push(reply.text);
  return { status: reply.status, body: reply.body };
}

const regular = (name: string, extra: Json = {}): Json => ({
  name,
  type: 'regular',
  server_id: serverId,
  credentials: { login: 'root', method: 'password', secret: SECRET, password_change_policy_id: 1 },
  ...extra,
});

async function createAccount(body: Json): Promise<Json & { id: number }> {
  const reply = await call('POST', '/api/system/accounts', { body });
  expect(reply.status).toBe(201);
  return reply.body as Json & { id: number };
}

beforeAll(async () => {
  sim = await startPamSimulator({ empty: true });
  const server = await call('POST', '/api/system/servers', {
    body: { name: 'web-01-ssh', address: '10.0.0.1', port: 22, protocol: 'ssh' },
  });
  serverId = (server.body as { id: number }).id;
  await call('POST', '/api/system/users', {
    body: { name: 'plain-user', role: 'user', password: 'pw-plain' },
  });
  const login = await call('POST', '/api/system/login', {
    auth: null,
    body: { username: 'plain-user', password: 'pw-plain' },
  });
  userSession = (login.body as { sessionid: string }).sessionid;
});
afterAll(async () => {
  await sim.stop();
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

describe('§1.2 Accounts: field rules (400 ValidationErrors)', () => {
  const creds = { login: 'root', method: 'password', secret: SECRET, password_change_policy_id: 1 };
  it.each<[string, () => Json, Json]>([
    ['missing name', () => regular('x', { name: undefined }), { name: ['This field is required.'] }],
    ['blank name', () => regular(''), { name: ['This field may not be blank.'] }],
    [
      'name over 255',
      () => regular('n'.repeat(256)),
      { name: ['Ensure this field has no more than 255 characters.'] },
    ],
    ['missing type', () => regular('t', { type: undefined }), { type: ['This field is required.'] }],
    ['bad type enum', () => regular('t', { type: 'shared' }), { type: ['"shared" is not a valid choice.'] }],
    [
      'missing server_id',
      () => regular('s', { server_id: undefined }),
      { server_id: ['This field is required.'] },
    ],
    [
      'unknown server_id',
      () => regular('s', { server_id: 999 }),
      { server_id: ['Invalid pk "999" - object does not exist.'] },
    ],
    [
      'string server_id',
      () => regular('s', { server_id: '1' }),
      { server_id: ['A valid integer is required.'] },
    ],
    [
      'regular without credentials',
      () => regular('c', { credentials: undefined }),
      { credentials: ['This field is required.'] },
    ],
    [
      'forward with null credentials',
      () => regular('c', { type: 'forward', credentials: null }),
      { credentials: ['This field is required.'] },
    ],
    [
      'anonymous with credentials',
      () => regular('c', { type: 'anonymous' }),
      { credentials: ['Must be absent or null for an anonymous account.'] },
    ],
    [
      'credentials not an object',
      () => regular('c', { credentials: 'root' }),
      { credentials: ['Invalid data. Expected a dictionary.'] },
    ],
    [
      'missing credentials.login',
      () => regular('c', { credentials: { ...creds, login: undefined } }),
      { 'credentials.login': ['This field is required.'] },
    ],
    [
      'missing credentials.method (regular)',
      () => regular('c', { credentials: { ...creds, method: undefined } }),
      { 'credentials.method': ['This field is required.'] },
    ],
    [
      'bad credentials.method',
      () => regular('c', { credentials: { ...creds, method: 'otp' } }),
      { 'credentials.method': ['"otp" is not a valid choice.'] },
    ],
    [
      'password method without secret',
      () => regular('c', { credentials: { ...creds, secret: undefined } }),
      { 'credentials.secret': ['This field is required.'] },
    ],
    [
      'secret over 1024',
      () => regular('c', { credentials: { ...creds, secret: 'x'.repeat(1025) } }),
      { 'credentials.secret': ['Ensure this field has no more than 1024 characters.'] },
    ],
    [
      'ssh-key method without private_key',
      () => regular('c', { credentials: { ...creds, method: 'ssh-key' } }),
      { 'credentials.private_key': ['This field is required.'] },
    ],
    [
      'regular without policy',
      () => regular('c', { credentials: { ...creds, password_change_policy_id: undefined } }),
      { 'credentials.password_change_policy_id': ['This field is required.'] },
    ],
    [
      'unknown policy',
      () => regular('c', { credentials: { ...creds, password_change_policy_id: 42 } }),
      { 'credentials.password_change_policy_id': ['Invalid pk "42" - object does not exist.'] },
    ],
    [
      'bad dump_mode',
      () => regular('d', { dump_mode: 'video' }),
      { dump_mode: ['"video" is not a valid choice.'] },
    ],
    [
      'blocked not a boolean',
      () => regular('b', { blocked: 'yes' }),
      { blocked: ['Must be a valid boolean.'] },
    ],
    ['blocked null', () => regular('b', { blocked: null }), { blocked: ['This field may not be null.'] }],
    [
      'retention 0',
      () => regular('r', { retention: 0 }),
      { retention: ['Ensure this value is greater than or equal to 1.'] },
    ],
    [
      'retention too big',
      () => regular('r', { retention: 2147483648 }),
      { retention: ['Ensure this value is less than or equal to 2147483647.'] },
    ],
    [
      'retention as a string',
      () => regular('r', { retention: '30' }),
      { retention: ['A valid integer is required.'] },
    ],
    [
      'ocr_lang over 64',
      () => regular('o', { ocr_lang: 'e'.repeat(65) }),
      { ocr_lang: ['Ensure this field has no more than 64 characters.'] },
    ],
    [
      'bad checkout time',
      () => regular('t', { password_checkout_time_limit: '1:00' }),
      { password_checkout_time_limit: ['Time has wrong format. Use this format instead: hh:mm:ss.'] },
    ],
    [
      'timestamp without offset',
      () => regular('t', { password_change_request: '2026-03-01T12:00:00' }),
      { password_change_request: ['Datetime has wrong format. Use ISO 8601 with an offset.'] },
    ],
    [
      'password_recovery on forward',
      () => regular('p', { type: 'forward', password_recovery: true }),
      { password_recovery: ['Password recovery is available only for regular accounts.'] },
    ],
    [
      'changer timeout 0',
      () => regular('pc', { accountpasswordchanger_set: [{ id: 1, position: 0, timeout: 0 }] }),
      { 'accountpasswordchanger_set.0.timeout': ['Ensure this value is greater than or equal to 1.'] },
    ],
    [
      'changer timeout over 3600',
      () => regular('pc', { accountpasswordchanger_set: [{ id: 1, position: 0, timeout: 3601 }] }),
      { 'accountpasswordchanger_set.0.timeout': ['Ensure this value is less than or equal to 3600.'] },
    ],
    [
      'changer id 9',
      () => regular('pc', { accountpasswordchanger_set: [{ id: 9, position: 0, timeout: 60 }] }),
      { 'accountpasswordchanger_set.0.id': ['Ensure this value is less than or equal to 8.'] },
    ],
    [
      'changer missing position',
      () => regular('pc', { accountpasswordchanger_set: [{ id: 1, timeout: 60 }] }),
      { 'accountpasswordchanger_set.0.position': ['This field is required.'] },
    ],
    [
      'changer bad type',
      () =>
        regular('pc', {
          accountpasswordchanger_set: [{ id: 1, position: 0, timeout: 60, password_changer_type: 'rotate' }],
        }),
      { 'accountpasswordchanger_set.0.password_changer_type': ['"rotate" is not a valid choice.'] },
    ],
    [
      'cisco changer without enable password',
      () =>
        regular('pc', {
          accountpasswordchanger_set: [
            { id: 1, position: 0, timeout: 60 },
            { id: 7, position: 1, timeout: 60 },
          ],
        }),
      { 'accountpasswordchanger_set.1.privileged_mode_password': ['This field is required.'] },
    ],
    [
      'changer 4 without ssh fields',
      () => regular('pc', { accountpasswordchanger_set: [{ id: 4, position: 0, timeout: 60 }] }),
      {
        'accountpasswordchanger_set.0.ssh_username': ['This field is required.'],
        'accountpasswordchanger_set.0.ssh_password': ['This field is required.'],
        'accountpasswordchanger_set.0.ssh_host': ['This field is required.'],
        'accountpasswordchanger_set.0.ssh_port': ['This field is required.'],
      },
    ],
    [
      'changer list not a list',
      () => regular('pc', { accountpasswordchanger_set: {} }),
      { accountpasswordchanger_set: ['Expected a list of items.'] },
    ],
  ])('§1.2 %s', async (_label, body, errors) => {
    const reply = await call('POST', '/api/system/accounts', { body: body() });
    expect(reply).toEqual({ status: 400, body: errors });
  });

  it('§1.2 several problems are reported together', async () => {
    const reply = await call('POST', '/api/system/accounts', { body: { type: 'regular' } });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body).sort()).toEqual(['credentials', 'name', 'server_id']);
  });

  it('§1.2 name is unique case-insensitively (400 on name)', async () => {
    await createAccount(regular('Unique@Web'));
    const reply = await call('POST', '/api/system/accounts', { body: regular('unique@web') });
    expect(reply).toEqual({ status: 400, body: { name: ['An account with this name already exists.'] } });
  });

  it('§1.2 anonymous without credentials and forward with login only are valid; defaults apply', async () => {
    const anon = await createAccount({
      name: 'anon-1',
      type: 'anonymous',
      server_id: serverId,
      credentials: null,
    });
    expect(anon.credentials).toBeNull();
    expect(anon.password_lastupdate).toBeNull();
    const fwd = await createAccount({
      name: 'fwd-1',
      type: 'forward',
      server_id: serverId,
      credentials: { login: 'jdoe' },
    });
    expect(fwd.credentials).toEqual({
      domain: '',
      login: 'jdoe',
      method: null,
      public_key: null,
      password_change_policy_id: null,
      password_change_policy: null,
    });
  });

  it('§1.2 a valid password changer set is accepted and its write-only passwords are not echoed', async () => {
    const set = [
      {
        id: 4,
        position: 0,
        timeout: 120,
        ssh_username: 'chg',
        ssh_password: 'ssh-literal-pw',
        ssh_host: '10.0.0.1',
        ssh_port: '22',
      },
      {
        id: 8,
        position: 1,
        timeout: 60,
        password_changer_type: 'verify',
        privileged_mode_password: 'enable-literal-pw',
        privileged_username: 'en',
        privileged_password: 'priv-literal-pw',
      },
    ];
    const account = await createAccount(regular('changers-ok', { accountpasswordchanger_set: set }));
    expect(account.accountpasswordchanger_set).toEqual([
      {
        id: 4,
        password_changer_type: 'change',
        position: 0,
        timeout: 120,
        privileged_username: '',
        ssh_username: 'chg',
        ssh_host: '10.0.0.1',
        ssh_port: '22',
      },
      {
        id: 8,
        password_changer_type: 'verify',
        position: 1,
        timeout: 60,
        privileged_username: 'en',
        ssh_username: '',
        ssh_host: '',
        ssh_port: '',
      },
    ]);
  });

  it('§1.2 timestamps are normalised to UTC with microseconds; Time stays hh:mm:ss', async () => {
    const account = await createAccount(
      regular('times', {
        password_change_request: '2026-03-01T13:00:00.5+01:00',
        password_checkout_time_limit: '01:30:00',
      }),
    );
    expect(account.password_change_request).toBe('2026-03-01T12:00:00.500000+00:00');
    expect(account.password_checkout_time_limit).toBe('01:30:00');
  });

  it('§1.2 public_key is derived deterministically from private_key', async () => {
    const key = (name: string) =>
      regular(name, {
        credentials: {
          login: 'deploy',
          method: 'ssh-key',
          private_key: PRIVATE_KEY,
          password_change_policy_id: 1,
        },
      });
    const a = await createAccount(key('key-a'));
    const b = await createAccount(key('key-b'));
    const publicKey = (a.credentials as Json).public_key;
    expect(publicKey).toMatch(/^ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}$/);
    expect((b.credentials as Json).public_key).toBe(publicKey);
    expect(a.password_lastupdate).not.toBeNull();
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

describe('§1.1 Operator visibility of accounts', () => {
  let visible: number;
  let hidden: number;
  let safeId: number;
  beforeAll(async () => {
    visible = (await createAccount(regular('op-visible'))).id;
    hidden = (await createAccount(regular('op-hidden'))).id;
    await call('POST', `/api/system/accounts/${visible}/granted_users`, { body: { user_id: OPERATOR_ID } });
    const listener = await call('POST', '/api/system/listeners', {
      body: { name: 'op-l', protocol: 'ssh', mode: 'gateway' },
    });
    const listenerId = (listener.body as { id: number }).id;
    safeId = ((await call('POST', '/api/system/safes', { body: { name: 'op-safe' } })).body as { id: number })
      .id;
    for (const account_id of [visible, hidden]) {
      await call('POST', `/api/system/safes/${safeId}/accounts`, {
        body: { account_id, listener_id: listenerId },
      });
    }
  });

  it('§1.1 operator sees a granted account (200) and a hidden one is 404 as if absent', async () => {
    expect((await call('GET', `/api/system/accounts/${visible}`, { auth: OP })).status).toBe(200);
    expect(await call('GET', `/api/system/accounts/${hidden}`, { auth: OP })).toEqual({
      status: 404,
      body: { detail: 'Not found.' },
    });
    expect((await call('GET', `/api/system/accounts/${hidden}/granted_users`, { auth: OP })).status).toBe(
      404,
    );
  });

  it('§1.1 operator account list holds only granted accounts', async () => {
    const list = await call('GET', '/api/system/accounts', { auth: OP });
    expect((list.body as unknown as { id: number }[]).map((a) => a.id)).toEqual([visible]);
  });

  it('§1.4 operator safe assignment list leaves out hidden accounts', async () => {
    const all = await call('GET', `/api/system/safes/${safeId}/accounts`);
    expect((all.body as unknown as { account_id: number }[]).map((a) => a.account_id)).toEqual([
      visible,
      hidden,
    ]);
    const op = await call('GET', `/api/system/safes/${safeId}/accounts`, { auth: OP });
    expect((op.body as unknown as { account_id: number }[]).map((a) => a.account_id)).toEqual([visible]);
  });
});

describe('§1.3 Granted users', () => {
  let accountId: number;
  let alice: { id: number; name: string };
  let bob: { id: number; name: string };
  beforeAll(async () => {
    accountId = (await createAccount(regular('granted'))).id;
    alice = (await call('POST', '/api/system/users', { body: { name: 'alice', role: 'admin' } }))
      .body as typeof alice;
    bob = (await call('POST', '/api/system/users', { body: { name: 'bob', role: 'operator' } }))
      .body as typeof bob;
  });
  const path = () => `/api/system/accounts/${accountId}/granted_users`;

  it('§1.3 POST grants: 201 {id, name}', async () => {
    const reply = await call('POST', path(), { body: { user_id: bob.id } });
    expect(reply).toEqual({ status: 201, body: { id: bob.id, name: 'bob' } });
    await call('POST', path(), { body: { user_id: alice.id } });
  });

  it('§1.3 GET lists granted users as [{id, name}] in ascending id order, paginated', async () => {
    expect(await call('GET', path())).toEqual({
      status: 200,
      body: [alice, bob].map(({ id, name }) => ({ id, name })),
    });
    expect((await call('GET', `${path()}?page=2&page_size=1`)).body).toEqual([{ id: bob.id, name: 'bob' }]);
    expect((await call('GET', `${path()}?page_size=abc`)).status).toBe(400);
  });

  it.each<[string, unknown, Json]>([
    ['missing user_id', {}, { user_id: ['This field is required.'] }],
    ['unknown user_id', { user_id: 999 }, { user_id: ['Invalid pk "999" - object does not exist.'] }],
    ['string user_id', { user_id: 'bob' }, { user_id: ['A valid integer is required.'] }],
  ])('§1.3 POST with %s is 400', async (_label, body, errors) => {
    expect(await call('POST', path(), { body })).toEqual({ status: 400, body: errors });
  });

  it('§1.3 POST of an already granted user is 400 on user_id', async () => {
    expect(await call('POST', path(), { body: { user_id: bob.id } })).toEqual({
      status: 400,
      body: { user_id: ['This user is already granted.'] },
    });
  });

  it('§1.3 unknown account is 404 for GET, POST and DELETE', async () => {
    expect((await call('GET', '/api/system/accounts/9999/granted_users')).status).toBe(404);
    expect(
      (await call('POST', '/api/system/accounts/9999/granted_users', { body: { user_id: bob.id } })).status,
    ).toBe(404);
    expect((await call('DELETE', `/api/system/accounts/9999/granted_users/${bob.id}`)).status).toBe(404);
  });

  it('§1.3 401 without a token, 403 for operators writing and for the user role', async () => {
    expect((await call('GET', path(), { auth: null })).status).toBe(401);
    expect((await call('POST', path(), { auth: OP, body: { user_id: bob.id } })).status).toBe(403);
    expect((await call('DELETE', `${path()}/${bob.id}`, { auth: OP })).status).toBe(403);
    expect((await call('GET', path(), { auth: userSession })).status).toBe(403);
    expect((await call('PUT', path(), { body: {} })).status).toBe(405);
  });

  it('§1.3 DELETE revokes: 204, then the same user is 404 (not granted)', async () => {
    expect((await call('DELETE', `${path()}/${bob.id}`)).status).toBe(204);
    expect((await call('DELETE', `${path()}/${bob.id}`)).status).toBe(404);
    expect((await call('GET', path())).body).toEqual([{ id: alice.id, name: 'alice' }]);
  });

  it('§1.8 deleting a user removes it from every granted_users', async () => {
    expect((await call('DELETE', `/api/system/users/${alice.id}`)).status).toBe(204);
    expect((await call('GET', path())).body).toEqual([]);
  });

  it('§1.2 deleting an account removes its grants and assignments', async () => {
    const account = await createAccount(regular('cascade'));
    await call('POST', `/api/system/accounts/${account.id}/granted_users`, {
      body: { user_id: OPERATOR_ID },
    });
    const safe = (await call('POST', '/api/system/safes', { body: { name: 'cascade-safe' } })).body as {
      id: number;
    };
    const listener = (
      await call('POST', '/api/system/listeners', {
        body: { name: 'cascade-l', protocol: 'ssh', mode: 'gateway' },
      })
    ).body as { id: number };
    await call('POST', `/api/system/safes/${safe.id}/accounts`, {
      body: { account_id: account.id, listener_id: listener.id },
    });
    expect((await call('DELETE', `/api/system/accounts/${account.id}`)).status).toBe(204);
    expect((await call('GET', `/api/system/safes/${safe.id}/accounts`)).body).toEqual([]);
    expect(sim.state.grants.has(account.id)).toBe(false);
    // The listener is no longer in use, so it may now be deleted.
    expect((await call('DELETE', `/api/system/listeners/${listener.id}`)).status).toBe(204);
  });
});

describe('§1.1 Write-only fields', () => {
  it('§1.1 no secret, private key or changer password appears in any response body of this suite', async () => {
    await call('GET', '/api/system/accounts');
    expect(seen.length).toBeGreaterThan(50);
    for (const text of seen) for (const literal of WRITE_ONLY) expect(text).not.toContain(literal);
    expect(seen.join('\n')).not.toMatch(
      /"(secret|private_key|privileged_mode_password|privileged_password|ssh_password)"/,
    );
  });
});
