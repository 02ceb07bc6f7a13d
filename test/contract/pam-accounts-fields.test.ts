/**
 * docs/upstreams.md §1.2 account field rules through real HTTP against an empty simulator: every rule broken
 * answers 400 with the field and the message, several at once; the valid shapes, defaults and normalisations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, PRIVATE_KEY, pamAccountsContract, SECRET } from '../support/pam-accounts-contract.js';

const contract = pamAccountsContract();
const { call, regular, createAccount } = contract;
let serverId: number;
beforeAll(() => {
  ({ serverId } = contract.current());
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

contract.describeWriteOnlyCheck(40);
