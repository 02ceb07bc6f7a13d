/**
 * Every PAM mutation through HTTP against the simulator: the typed result, then the simulator's own state read
 * back directly (never through the gateway), and the write requests it received. Upstream-only rules come back
 * as ValidationErrors told apart by their paths, never by message text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PamState, Table } from '../../src/simulator/pam/store.js';
import type { Row } from '../../src/simulator/pam/types.js';
import {
  AssignAccountToSafeDocument,
  CreateAccountDocument,
  CreateListenerDocument,
  CreateSafeDocument,
  CreateServerDocument,
  CreateUserDocument,
  DeleteAccountDocument,
  DeleteListenerDocument,
  DeleteSafeDocument,
  DeleteServerDocument,
  DeleteUserDocument,
  GrantAccountManagementDocument,
  RemoveAccountFromSafeDocument,
  ReplaceAccountDocument,
  ReplaceListenerDocument,
  ReplaceSafeDocument,
  ReplaceServerDocument,
  ReplaceUserDocument,
  RevokeAccountManagementDocument,
  UpdateAccountDocument,
  UpdateListenerDocument,
  UpdateSafeDocument,
  UpdateServerDocument,
  UpdateUserDocument,
} from '../gql/graphql.js';
import {
  type AnyMutation,
  anyMutation,
  globalId,
  issuePaths,
  member,
  mutate,
  OPERATOR,
  SUPERADMIN_TOKEN,
  writesSeen,
} from '../support/mutations.js';
import { callSimulator, SimulatorWriter } from '../support/seed.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
let writer: SimulatorWriter;
let state: PamState;
let counter = 0;
/** A name no other test uses (names are unique per collection, case-insensitively). */
const uniq = (prefix: string): string => `${prefix}-${++counter}`;

beforeAll(async () => {
  stack = await startStack({ simulators: { empty: true } });
  const { credentials } = stack.sims;
  writer = new SimulatorWriter(
    stack.sims.pam.url,
    credentials.pam.superadminToken,
    stack.sims.audit.url,
    credentials.audit.primaryKey,
  );
  state = stack.sims.pam.state;
});

afterAll(async () => {
  await stack.stop();
});

beforeEach(() => {
  stack.resetRecords();
});

const pamWrites = () => writesSeen(stack.sims.pam);

/** A row of a table that must exist. */
function rowOf<T extends Row>(table: Table<T>, id: number): T {
  const row = table.get(id);
  if (row === undefined) throw new Error(`row ${id} missing`);
  return row;
}

function idByName<T extends Row>(table: Table<T>, name: string): number {
  const row = table.findByName(name);
  if (row === undefined) throw new Error(`no row named ${name}`);
  return row.id;
}

let octet = 0;
async function seedServer(): Promise<{ id: number; name: string }> {
  const name = uniq('srv');
  octet++;
  const { id } = await writer.server(name, `10.20.${octet}.1`, 'ssh', 22);
  stack.resetRecords();
  return { id, name };
}

/** A regular password account with non-default optional fields, so a PUT's resets are visible. */
async function seedAccount(serverId: number): Promise<{ id: number; name: string }> {
  const name = uniq('acct');
  const { id } = await writer.pam('POST', '/api/system/accounts', {
    name,
    type: 'regular',
    server_id: serverId,
    blocked: true,
    dump_mode: 'raw',
    ocr_enabled: true,
    ocr_lang: 'deu',
    retention: 90,
    password_checkout_time_limit: '01:30:00',
    credentials: {
      login: 'admin',
      domain: 'CORP',
      method: 'password',
      secret: 'seeded-secret',
      password_change_policy_id: 1,
    },
  });
  stack.resetRecords();
  return { id, name };
}

async function seedSafe(): Promise<number> {
  const { id } = await writer.pam('POST', '/api/system/safes', { name: uniq('safe') });
  stack.resetRecords();
  return id;
}

async function seedListener(): Promise<number> {
  const { id } = await writer.pam('POST', '/api/system/listeners', {
    name: uniq('lst'),
    protocol: 'ssh',
    mode: 'proxy',
    listen_port: 2200 + counter,
  });
  stack.resetRecords();
  return id;
}

describe('accounts', () => {
  it('createAccount posts once, returns the account, and the simulator holds it with its secret', async () => {
    const server = await seedServer();
    const name = uniq('new-acct');
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name,
        type: 'REGULAR',
        serverId: globalId('Server', server.id),
        blocked: true,
        dumpMode: 'RAW',
        ocrEnabled: true,
        ocrLang: 'eng',
        retention: 30,
        credentials: {
          login: 'root',
          domain: 'CORP',
          method: 'PASSWORD',
          secret: 'create-secret',
          passwordChangePolicyId: '1',
        },
        passwordChangers: [
          {
            changerId: 7,
            position: 0,
            timeout: 30,
            privilegedModePassword: 'en-pw',
            privilegedUsername: 'op',
          },
        ],
      },
    });
    const id = idByName(state.accounts, name);
    expect(result).toEqual({
      __typename: 'CreateAccountPayload',
      account: {
        id: globalId('Account', id),
        pamId: String(id),
        name,
        type: 'REGULAR',
        blocked: true,
        dumpMode: 'RAW',
        ocrEnabled: true,
        ocrLang: 'eng',
        passwordRecovery: false,
        retention: 30,
        server: { id: globalId('Server', server.id), name: server.name },
        credentials: {
          login: 'root',
          domain: 'CORP',
          method: 'PASSWORD',
          passwordChangePolicy: { pamId: '1', name: 'Static' },
        },
        passwordChangers: [
          { changerId: 7, type: 'CHANGE', position: 0, timeout: 30, privilegedUsername: 'op' },
        ],
      },
    });
    expect(rowOf(state.accounts, id)).toEqual({
      id,
      name,
      type: 'regular',
      blocked: true,
      serverId: server.id,
      credentials: {
        domain: 'CORP',
        login: 'root',
        method: 'password',
        secret: 'create-secret',
        privateKey: null,
        publicKey: null,
        policyId: 1,
      },
      dumpMode: 'raw',
      ocrEnabled: true,
      ocrLang: 'eng',
      passwordLastUpdate: expect.any(String),
      passwordChangeRequest: null,
      passwordCheckoutTimeLimit: null,
      passwordRecovery: false,
      retention: 30,
      changers: [
        {
          id: 7,
          type: 'change',
          position: 0,
          timeout: 30,
          privilegedModePassword: 'en-pw',
          privilegedUsername: 'op',
          privilegedPassword: null,
          sshUsername: '',
          sshPassword: null,
          sshHost: '',
          sshPort: '',
        },
      ],
    });
    expect(pamWrites()).toEqual([{ method: 'POST', path: '/api/system/accounts', status: 201 }]);
    // The REST API never returns the secret, and the simulator's record agrees with its state.
    const direct = await callSimulator(stack.sims.pam.url, 'GET', `/api/system/accounts/${id}`, {
      auth: SUPERADMIN_TOKEN,
    });
    expect(direct.status).toBe(200);
    expect(JSON.stringify(direct.body)).not.toContain('create-secret');
  });

  it('createAccount: unknown server is a ValidationError at input.serverId and nothing is stored', async () => {
    const name = uniq('orphan');
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name,
        type: 'REGULAR',
        serverId: '987654',
        credentials: { login: 'x', method: 'PASSWORD', secret: 'orphan-secret', passwordChangePolicyId: '1' },
      },
    });
    expect(issuePaths(result)).toEqual(['input.serverId']);
    expect(state.accounts.findByName(name)).toBeUndefined();
    expect(pamWrites()).toEqual([{ method: 'POST', path: '/api/system/accounts', status: 400 }]);
  });

  // A secret that happens to occur inside a field name ("s" in "server_id") must not mangle the path.
  it('createAccount: a short secret does not corrupt the issue path', async () => {
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name: uniq('short-secret'),
        type: 'REGULAR',
        serverId: '987654',
        credentials: { login: 'x', method: 'PASSWORD', secret: 's', passwordChangePolicyId: '1' },
      },
    });
    expect(issuePaths(result)).toEqual(['input.serverId']);
  });

  it('createAccount: a duplicate name (any case) is a ValidationError at input.name', async () => {
    const server = await seedServer();
    const existing = await seedAccount(server.id);
    const before = state.accounts.size;
    const result = await mutate(stack, CreateAccountDocument, {
      input: {
        name: existing.name.toUpperCase(),
        type: 'REGULAR',
        serverId: String(server.id),
        credentials: { login: 'x', method: 'PASSWORD', secret: 's', passwordChangePolicyId: '1' },
      },
    });
    expect(issuePaths(result)).toEqual(['input.name']);
    expect(state.accounts.size).toBe(before);
    expect(pamWrites()).toEqual([{ method: 'POST', path: '/api/system/accounts', status: 400 }]);
  });

  it('updateAccount (PATCH) changes only the given fields and keeps the stored secret', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const before = structuredClone(rowOf(state.accounts, id));
    const name = uniq('renamed');
    const result = await mutate(stack, UpdateAccountDocument, {
      id: globalId('Account', id),
      input: { name, dumpMode: 'NONE', credentials: { login: 'admin2' } },
    });
    expect(member(result, 'UpdateAccountPayload').account).toMatchObject({
      id: globalId('Account', id),
      name,
      dumpMode: 'NONE',
      blocked: true,
      ocrEnabled: true,
      ocrLang: 'deu',
      retention: 90,
      credentials: { login: 'admin2', domain: 'CORP', method: 'PASSWORD' },
    });
    const after = rowOf(state.accounts, id);
    expect(after).toEqual({
      ...before,
      name,
      dumpMode: 'none',
      credentials: { ...before.credentials, login: 'admin2' },
    });
    expect(after.credentials?.secret).toBe('seeded-secret');
    expect(pamWrites()).toEqual([{ method: 'PATCH', path: `/api/system/accounts/${id}`, status: 200 }]);
  });

  it('updateAccount with a new secret stores it and moves passwordLastUpdate', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const before = structuredClone(rowOf(state.accounts, id));
    state.now = () => new Date('2031-05-06T07:08:09Z');
    try {
      const result = await mutate(stack, UpdateAccountDocument, {
        id: String(id),
        input: { credentials: { login: 'admin', secret: 'rotated' } },
      });
      expect(result.__typename).toBe('UpdateAccountPayload');
    } finally {
      state.now = () => new Date();
    }
    const after = rowOf(state.accounts, id);
    expect(after.credentials?.secret).toBe('rotated');
    expect(after.passwordLastUpdate).toMatch(/^2031-05-06T07:08:09/);
    expect({ ...after, credentials: null, passwordLastUpdate: null }).toEqual({
      ...before,
      credentials: null,
      passwordLastUpdate: null,
    });
  });

  it('replaceAccount (PUT) resets omitted optional fields and stores the secret given again', async () => {
    const server = await seedServer();
    const other = await seedServer();
    const { id } = await seedAccount(server.id);
    const name = uniq('replaced');
    const result = await mutate(stack, ReplaceAccountDocument, {
      id: String(id),
      input: {
        name,
        type: 'REGULAR',
        serverId: globalId('Server', other.id),
        credentials: { login: 'svc', method: 'PASSWORD', secret: 'put-secret', passwordChangePolicyId: '1' },
      },
    });
    expect(result).toEqual({
      __typename: 'ReplaceAccountPayload',
      account: {
        id: globalId('Account', id),
        pamId: String(id),
        name,
        type: 'REGULAR',
        blocked: false,
        dumpMode: 'ALL',
        ocrEnabled: false,
        ocrLang: null,
        passwordRecovery: false,
        retention: null,
        server: { id: globalId('Server', other.id), name: other.name },
        credentials: {
          login: 'svc',
          domain: null,
          method: 'PASSWORD',
          passwordChangePolicy: { pamId: '1', name: 'Static' },
        },
        passwordChangers: [],
      },
    });
    expect(rowOf(state.accounts, id)).toEqual({
      id,
      name,
      type: 'regular',
      blocked: false,
      serverId: other.id,
      credentials: {
        domain: '',
        login: 'svc',
        method: 'password',
        secret: 'put-secret',
        privateKey: null,
        publicKey: null,
        policyId: 1,
      },
      dumpMode: 'all',
      ocrEnabled: false,
      ocrLang: '',
      passwordLastUpdate: expect.any(String),
      passwordChangeRequest: null,
      passwordCheckoutTimeLimit: null,
      passwordRecovery: false,
      retention: null,
      changers: [],
    });
    expect(pamWrites()).toEqual([{ method: 'PUT', path: `/api/system/accounts/${id}`, status: 200 }]);
  });

  it('replaceAccount without the secret is a ValidationError at input.credentials.secret; nothing is sent', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const before = structuredClone(rowOf(state.accounts, id));
    const result = await mutate(stack, ReplaceAccountDocument, {
      id: String(id),
      input: {
        name: before.name,
        type: 'REGULAR',
        serverId: String(server.id),
        credentials: { login: 'admin', method: 'PASSWORD', passwordChangePolicyId: '1' },
      },
    });
    expect(issuePaths(result)).toEqual(['input.credentials.secret']);
    expect(rowOf(state.accounts, id)).toEqual(before);
    expect(pamWrites()).toEqual([]);
  });

  it('deleteAccount deletes once, returns the global ID, and takes grants and assignments with it', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const safeId = await seedSafe();
    const listenerId = await seedListener();
    await writer.pam('POST', `/api/system/accounts/${id}/granted_users`, { user_id: 2 });
    await writer.pam('POST', `/api/system/safes/${safeId}/accounts`, {
      account_id: id,
      listener_id: listenerId,
    });
    stack.resetRecords();
    const result = await mutate(stack, DeleteAccountDocument, {
      id: globalId('Account', id),
    });
    expect(result).toEqual({ __typename: 'DeleteAccountPayload', deletedId: globalId('Account', id) });
    expect(state.accounts.get(id)).toBeUndefined();
    expect(state.grants.get(id)).toBeUndefined();
    expect([...(state.assignments.get(safeId)?.values() ?? [])]).toEqual([]);
    expect(pamWrites()).toEqual([{ method: 'DELETE', path: `/api/system/accounts/${id}`, status: 204 }]);
    const direct = await callSimulator(stack.sims.pam.url, 'GET', `/api/system/accounts/${id}`, {
      auth: SUPERADMIN_TOKEN,
    });
    expect(direct.status).toBe(404);
  });

  it('an unknown account is a NotFoundError for update, replace and delete', async () => {
    const server = await seedServer();
    const missing = 424242;
    const update = await mutate(stack, UpdateAccountDocument, {
      id: globalId('Account', missing),
      input: { name: uniq('ghost') },
    });
    const replace = await mutate(stack, ReplaceAccountDocument, {
      id: String(missing),
      input: {
        name: uniq('ghost'),
        type: 'REGULAR',
        serverId: String(server.id),
        credentials: { login: 'x', method: 'PASSWORD', secret: 's', passwordChangePolicyId: '1' },
      },
    });
    const remove = await mutate(stack, DeleteAccountDocument, { id: String(missing) });
    expect([update.__typename, replace.__typename, remove.__typename]).toEqual([
      'NotFoundError',
      'NotFoundError',
      'NotFoundError',
    ]);
    expect(pamWrites()).toEqual([
      { method: 'PATCH', path: `/api/system/accounts/${missing}`, status: 404 },
      { method: 'PUT', path: `/api/system/accounts/${missing}`, status: 404 },
      { method: 'DELETE', path: `/api/system/accounts/${missing}`, status: 404 },
    ]);
  });

  it('the read-only operator gets a ForbiddenError and nothing changes', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    // Granted, so the operator can see it: the refusal is about writing, not visibility.
    await writer.pam('POST', `/api/system/accounts/${id}/granted_users`, { user_id: 2 });
    const before = structuredClone(rowOf(state.accounts, id));
    const size = state.accounts.size;
    stack.resetRecords();
    const update = await mutate(
      stack,
      UpdateAccountDocument,
      { id: String(id), input: { name: uniq('op') } },
      OPERATOR,
    );
    const create = await mutate(
      stack,
      CreateAccountDocument,
      {
        input: {
          name: uniq('op-new'),
          type: 'REGULAR',
          serverId: String(server.id),
          credentials: { login: 'x', method: 'PASSWORD', secret: 's', passwordChangePolicyId: '1' },
        },
      },
      OPERATOR,
    );
    const remove = await mutate(stack, DeleteAccountDocument, { id: String(id) }, OPERATOR);
    expect([update.__typename, create.__typename, remove.__typename]).toEqual([
      'ForbiddenError',
      'ForbiddenError',
      'ForbiddenError',
    ]);
    expect(rowOf(state.accounts, id)).toEqual(before);
    expect(state.accounts.size).toBe(size);
    expect(pamWrites()).toEqual([
      { method: 'PATCH', path: `/api/system/accounts/${id}`, status: 403 },
      { method: 'POST', path: '/api/system/accounts', status: 403 },
      { method: 'DELETE', path: `/api/system/accounts/${id}`, status: 403 },
    ]);
  });

  it('an ID of another type is a ValidationError at id, and nothing is sent', async () => {
    const server = await seedServer();
    const result = await mutate(stack, UpdateAccountDocument, {
      id: globalId('Server', server.id),
      input: { name: uniq('wrong') },
    });
    expect(issuePaths(result)).toEqual(['id']);
    expect(pamWrites()).toEqual([]);
  });
});

describe('granted users', () => {
  it('grantAccountManagement posts once and the simulator records the grant', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const result = await mutate(stack, GrantAccountManagementDocument, {
      a: globalId('Account', id),
      u: globalId('User', 2),
    });
    expect(result).toEqual({
      __typename: 'GrantAccountManagementPayload',
      user: { id: globalId('User', 2), pamId: '2', name: 'demo-operator', role: 'OPERATOR' },
    });
    expect([...(state.grants.get(id) ?? [])]).toEqual([2]);
    expect(pamWrites()).toEqual([
      { method: 'POST', path: `/api/system/accounts/${id}/granted_users`, status: 201 },
    ]);
  });

  it('granting twice is a ValidationError at userId; an unknown user too; an unknown account is NotFound', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    await writer.pam('POST', `/api/system/accounts/${id}/granted_users`, { user_id: 1 });
    stack.resetRecords();
    const twice = await mutate(stack, GrantAccountManagementDocument, { a: String(id), u: '1' });
    expect(issuePaths(twice)).toEqual(['userId']);
    const unknownUser = await mutate(stack, GrantAccountManagementDocument, { a: String(id), u: '5555' });
    expect(issuePaths(unknownUser)).toEqual(['userId']);
    const unknownAccount = await mutate(stack, GrantAccountManagementDocument, { a: '5555', u: '1' });
    expect(unknownAccount.__typename).toBe('NotFoundError');
    expect([...(state.grants.get(id) ?? [])]).toEqual([1]);
    expect(pamWrites().map((w) => w.status)).toEqual([400, 400, 404]);
  });

  it('the operator may not grant', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const result = await mutate(stack, GrantAccountManagementDocument, { a: String(id), u: '1' }, OPERATOR);
    expect(result.__typename).toBe('ForbiddenError');
    expect(state.grants.get(id)).toBeUndefined();
  });

  it('revokeAccountManagement deletes once and only that grant; revoking again is a NotFoundError', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    await writer.pam('POST', `/api/system/accounts/${id}/granted_users`, { user_id: 1 });
    await writer.pam('POST', `/api/system/accounts/${id}/granted_users`, { user_id: 2 });
    stack.resetRecords();
    const result = await mutate(stack, RevokeAccountManagementDocument, {
      a: String(id),
      u: globalId('User', 2),
    });
    expect(result).toEqual({
      __typename: 'RevokeAccountManagementPayload',
      revokedUserId: globalId('User', 2),
    });
    expect([...(state.grants.get(id) ?? [])]).toEqual([1]);
    expect(pamWrites()).toEqual([
      { method: 'DELETE', path: `/api/system/accounts/${id}/granted_users/2`, status: 204 },
    ]);
    const again = await mutate(stack, RevokeAccountManagementDocument, { a: String(id), u: '2' });
    expect(again.__typename).toBe('NotFoundError');
    const forbidden = await mutate(
      stack,
      RevokeAccountManagementDocument,
      { a: String(id), u: '1' },
      OPERATOR,
    );
    expect(forbidden.__typename).toBe('ForbiddenError');
    expect([...(state.grants.get(id) ?? [])]).toEqual([1]);
  });
});

const assignmentsOf = (safeId: number) => [...(state.assignments.get(safeId)?.values() ?? [])];

describe('safe assignments', () => {
  it('assignAccountToSafe posts once; the simulator and the payload show the assignment', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const safeId = await seedSafe();
    const listenerId = await seedListener();
    stack.resetRecords();
    const result = await mutate(stack, AssignAccountToSafeDocument, {
      s: globalId('Safe', safeId),
      a: globalId('Account', id),
      l: String(listenerId),
    });
    expect(result).toEqual({
      __typename: 'AssignAccountToSafePayload',
      assignment: {
        safe: {
          id: globalId('Safe', safeId),
          accounts: { edges: [{ node: { pamId: String(id) }, listener: { pamId: String(listenerId) } }] },
        },
        listener: { id: globalId('Listener', listenerId) },
      },
    });
    expect(assignmentsOf(safeId)).toEqual([{ accountId: id, listenerId }]);
    expect(pamWrites()).toEqual([
      { method: 'POST', path: `/api/system/safes/${safeId}/accounts`, status: 201 },
    ]);
  });

  it('the same triple twice is a ValidationError; an unknown listener is one at listenerId; unknown safe NotFound', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const safeId = await seedSafe();
    const listenerId = await seedListener();
    await writer.pam('POST', `/api/system/safes/${safeId}/accounts`, {
      account_id: id,
      listener_id: listenerId,
    });
    stack.resetRecords();
    const twice = await mutate(stack, AssignAccountToSafeDocument, {
      s: String(safeId),
      a: String(id),
      l: String(listenerId),
    });
    expect(twice.__typename).toBe('ValidationError');
    // Not about one argument: the gateway reports it at the whole call (path '').
    expect(issuePaths(twice)).toEqual(['']);
    const badListener = await mutate(stack, AssignAccountToSafeDocument, {
      s: String(safeId),
      a: String(id),
      l: '8888',
    });
    expect(issuePaths(badListener)).toEqual(['listenerId']);
    const badAccount = await mutate(stack, AssignAccountToSafeDocument, {
      s: String(safeId),
      a: '8888',
      l: String(listenerId),
    });
    expect(issuePaths(badAccount)).toEqual(['accountId']);
    const badSafe = await mutate(stack, AssignAccountToSafeDocument, {
      s: '8888',
      a: String(id),
      l: String(listenerId),
    });
    expect(badSafe.__typename).toBe('NotFoundError');
    const forbidden = await mutate(
      stack,
      AssignAccountToSafeDocument,
      { s: String(safeId), a: String(id), l: String(listenerId) },
      OPERATOR,
    );
    expect(forbidden.__typename).toBe('ForbiddenError');
    expect(assignmentsOf(safeId)).toEqual([{ accountId: id, listenerId }]);
    expect(pamWrites().map((w) => w.status)).toEqual([400, 400, 400, 404, 403]);
  });

  it('removeAccountFromSafe deletes once, through every listener, and leaves other accounts alone', async () => {
    const server = await seedServer();
    const a = await seedAccount(server.id);
    const b = await seedAccount(server.id);
    const safeId = await seedSafe();
    const l1 = await seedListener();
    const l2 = await seedListener();
    for (const [accountId, listenerId] of [
      [a.id, l1],
      [a.id, l2],
      [b.id, l1],
    ] as const) {
      await writer.pam('POST', `/api/system/safes/${safeId}/accounts`, {
        account_id: accountId,
        listener_id: listenerId,
      });
    }
    stack.resetRecords();
    const result = await mutate(stack, RemoveAccountFromSafeDocument, {
      s: globalId('Safe', safeId),
      a: String(a.id),
    });
    expect(result).toEqual({
      __typename: 'RemoveAccountFromSafePayload',
      removedAccountId: globalId('Account', a.id),
    });
    expect(assignmentsOf(safeId)).toEqual([{ accountId: b.id, listenerId: l1 }]);
    expect(pamWrites()).toEqual([
      { method: 'DELETE', path: `/api/system/safes/${safeId}/accounts/${a.id}`, status: 204 },
    ]);
    const again = await mutate(stack, RemoveAccountFromSafeDocument, { s: String(safeId), a: String(a.id) });
    expect(again.__typename).toBe('NotFoundError');
    const forbidden = await mutate(
      stack,
      RemoveAccountFromSafeDocument,
      { s: String(safeId), a: String(b.id) },
      OPERATOR,
    );
    expect(forbidden.__typename).toBe('ForbiddenError');
    expect(assignmentsOf(safeId)).toEqual([{ accountId: b.id, listenerId: l1 }]);
  });
});

type Collection = 'Server' | 'Safe' | 'Listener' | 'User';

interface ResourceCase {
  typename: Collection;
  field: string;
  path: string;
  table: () => Table<Row>;
  /** The typed documents of its create, update (PATCH), replace (PUT) and delete mutations. */
  docs: { create: AnyMutation; update: AnyMutation; replace: AnyMutation; remove: AnyMutation };
  /** A GraphQL input with every optional field set to a non-default value. */
  input: (name: string) => Record<string, unknown>;
  /** The same object as a REST body, for seeding directly. */
  seed: (name: string) => Record<string, unknown>;
  /** What the payload selection returns for `input(name)`, without `id`/`pamId`. */
  payload: (name: string) => Record<string, unknown>;
  /** What the simulator stores for `input(name)`, without `id` and the timestamps. */
  stored: (name: string) => Record<string, unknown>;
  patch: Record<string, unknown>;
  /** State fields the patch changes. */
  patched: Record<string, unknown>;
  /** A minimal whole input: only the required fields. */
  minimal: (name: string) => Record<string, unknown>;
  /** What the simulator stores after a PUT of `minimal(name)`. */
  reset: (name: string) => Record<string, unknown>;
}

/** One server address per name, so that (address, mask, port) never collides between tests. */
const addresses = new Map<string, string>();
function addressFor(name: string): string {
  let address = addresses.get(name);
  if (address === undefined) {
    address = `10.30.${addresses.size + 1}.1`;
    addresses.set(name, address);
  }
  return address;
}

const CASES: ResourceCase[] = [
  {
    typename: 'Server',
    field: 'server',
    path: '/api/system/servers',
    table: () => state.servers,
    docs: {
      create: anyMutation(CreateServerDocument),
      update: anyMutation(UpdateServerDocument),
      replace: anyMutation(ReplaceServerDocument),
      remove: anyMutation(DeleteServerDocument),
    },
    input: (name) => ({
      name,
      description: 'core router',
      address: addressFor(name),
      mask: 32,
      port: 2022,
      protocol: 'SSH',
      bindIp: '10.9.9.9',
      blocked: true,
      reason: 'maintenance',
    }),
    seed: (name) => ({
      name,
      description: 'core router',
      address: addressFor(name),
      mask: 32,
      port: 2022,
      protocol: 'ssh',
      bind_ip: '10.9.9.9',
      blocked: true,
      reason: 'maintenance',
    }),
    payload: (name) => ({
      name,
      description: 'core router',
      address: addressFor(name),
      mask: 32,
      port: 2022,
      protocol: 'SSH',
      bindIp: '10.9.9.9',
      blocked: true,
      reason: 'maintenance',
    }),
    stored: (name) => ({
      name,
      description: 'core router',
      address: addressFor(name),
      mask: 32,
      port: 2022,
      protocol: 'ssh',
      bindIp: '10.9.9.9',
      blocked: true,
      reason: 'maintenance',
    }),
    patch: { description: 'edge router', port: 2222 },
    patched: { description: 'edge router', port: 2222 },
    minimal: (name) => ({ name, address: addressFor(name), port: 22, protocol: 'SSH' }),
    reset: (name) => ({
      name,
      description: '',
      address: addressFor(name),
      mask: null,
      port: 22,
      protocol: 'ssh',
      bindIp: null,
      blocked: false,
      reason: null,
    }),
  },
  {
    typename: 'Safe',
    field: 'safe',
    path: '/api/system/safes',
    table: () => state.safes,
    docs: {
      create: anyMutation(CreateSafeDocument),
      update: anyMutation(UpdateSafeDocument),
      replace: anyMutation(ReplaceSafeDocument),
      remove: anyMutation(DeleteSafeDocument),
    },
    input: (name) => ({
      name,
      blocked: true,
      reason: 'audit',
      loginReason: true,
      requireConfirmation: true,
      requiredVotes: 2,
      webclient: false,
      inactivityLimit: 15,
      timeLimit: 60,
      noteAccess: 'WRITE',
    }),
    seed: (name) => ({
      name,
      blocked: true,
      reason: 'audit',
      login_reason: true,
      require_confirmation: true,
      required_votes: 2,
      webclient: false,
      inactivity_limit: 15,
      time_limit: 60,
      note_access: 'write',
    }),
    payload: (name) => ({
      name,
      blocked: true,
      reason: 'audit',
      loginReason: true,
      requireConfirmation: true,
      requiredVotes: 2,
      webclient: false,
      inactivityLimit: 15,
      timeLimit: 60,
      noteAccess: 'WRITE',
    }),
    stored: (name) => ({
      name,
      blocked: true,
      reason: 'audit',
      loginReason: true,
      requireConfirmation: true,
      requiredVotes: 2,
      webclient: false,
      inactivityLimit: 15,
      timeLimit: 60,
      noteAccess: 'write',
    }),
    patch: { requiredVotes: 3, noteAccess: 'READ' },
    patched: { requiredVotes: 3, noteAccess: 'read' },
    minimal: (name) => ({ name }),
    reset: (name) => ({
      name,
      blocked: false,
      reason: null,
      loginReason: false,
      requireConfirmation: false,
      requiredVotes: 0,
      webclient: true,
      inactivityLimit: 0,
      timeLimit: 0,
      noteAccess: 'none',
    }),
  },
  {
    typename: 'Listener',
    field: 'listener',
    path: '/api/system/listeners',
    table: () => state.listeners,
    docs: {
      create: anyMutation(CreateListenerDocument),
      update: anyMutation(UpdateListenerDocument),
      replace: anyMutation(ReplaceListenerDocument),
      remove: anyMutation(DeleteListenerDocument),
    },
    input: (name) => ({
      name,
      protocol: 'SSH',
      mode: 'PROXY',
      listenIp: '10.2.0.1',
      listenPort: 2222,
      externalAddress: 'bastion.example.com',
      externalPort: 22,
      blocked: true,
      reason: 'upgrade',
    }),
    seed: (name) => ({
      name,
      protocol: 'ssh',
      mode: 'proxy',
      listen_ip: '10.2.0.1',
      listen_port: 2222,
      external_address: 'bastion.example.com',
      external_port: 22,
      blocked: true,
      reason: 'upgrade',
    }),
    payload: (name) => ({
      name,
      protocol: 'SSH',
      mode: 'PROXY',
      listenIp: '10.2.0.1',
      listenPort: 2222,
      externalAddress: 'bastion.example.com',
      externalPort: 22,
      blocked: true,
      reason: 'upgrade',
    }),
    stored: (name) => ({
      name,
      protocol: 'ssh',
      mode: 'proxy',
      listenIp: '10.2.0.1',
      listenPort: 2222,
      externalAddress: 'bastion.example.com',
      externalPort: 22,
      blocked: true,
      reason: 'upgrade',
    }),
    patch: { listenPort: 2223, externalAddress: 'b2.example.com' },
    patched: { listenPort: 2223, externalAddress: 'b2.example.com' },
    minimal: (name) => ({ name, protocol: 'SSH', mode: 'GATEWAY' }),
    reset: (name) => ({
      name,
      protocol: 'ssh',
      mode: 'gateway',
      listenIp: '0.0.0.0',
      listenPort: null,
      externalAddress: null,
      externalPort: null,
      blocked: false,
      reason: null,
    }),
  },
  {
    typename: 'User',
    field: 'user',
    path: '/api/system/users',
    table: () => state.users,
    docs: {
      create: anyMutation(CreateUserDocument),
      update: anyMutation(UpdateUserDocument),
      replace: anyMutation(ReplaceUserDocument),
      remove: anyMutation(DeleteUserDocument),
    },
    input: (name) => ({
      name,
      role: 'ADMIN',
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      password: 'user-pw',
      blocked: true,
      reason: 'leave',
    }),
    seed: (name) => ({
      name,
      role: 'admin',
      full_name: 'Ada Lovelace',
      email: 'ada@example.com',
      password: 'user-pw',
      blocked: true,
      reason: 'leave',
    }),
    payload: (name) => ({
      name,
      role: 'ADMIN',
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      blocked: true,
      reason: 'leave',
    }),
    stored: (name) => ({
      name,
      role: 'admin',
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      password: 'user-pw',
      blocked: true,
      reason: 'leave',
    }),
    // The password is not given: PATCH keeps it.
    patch: { fullName: 'Ada King', email: 'ada.king@example.com' },
    patched: { fullName: 'Ada King', email: 'ada.king@example.com' },
    // Without a password PUT clears the stored one.
    minimal: (name) => ({ name, role: 'USER' }),
    reset: (name) => ({
      name,
      role: 'user',
      fullName: null,
      email: null,
      password: null,
      blocked: false,
      reason: null,
    }),
  },
];

/** A stored row without the fields a test cannot know in advance. */
function comparable(row: Row | undefined): Record<string, unknown> {
  if (row === undefined) throw new Error('row missing');
  const {
    id: _id,
    createdAt: _c,
    modifiedAt: _m,
    ...rest
  } = row as Row & { createdAt?: string; modifiedAt?: string };
  return rest;
}

describe.each(CASES)('$typename', (c) => {
  const docs = c.docs;
  const seed = async (): Promise<{ id: number; name: string }> => {
    const name = uniq(`seed-${c.field}`);
    const { id } = await writer.pam('POST', c.path, c.seed(name));
    stack.resetRecords();
    return { id, name };
  };

  it(`create${c.typename} posts once, returns it, and the simulator stores every field`, async () => {
    const name = uniq(`new-${c.field}`);
    const result = await mutate(stack, docs.create, { input: c.input(name) });
    const id = idByName(c.table(), name);
    expect(result).toEqual({
      __typename: `Create${c.typename}Payload`,
      [c.field]: { id: globalId(c.typename, id), pamId: String(id), ...c.payload(name) },
    });
    expect(comparable(c.table().get(id))).toEqual(c.stored(name));
    expect(pamWrites()).toEqual([{ method: 'POST', path: c.path, status: 201 }]);
  });

  it(`update${c.typename} (PATCH, global ID) changes only the given fields`, async () => {
    const { id } = await seed();
    const before = comparable(c.table().get(id));
    const result = await mutate(stack, docs.update, {
      id: globalId(c.typename, id),
      input: c.patch,
    });
    expect(result.__typename).toBe(`Update${c.typename}Payload`);
    expect(comparable(c.table().get(id))).toEqual({ ...before, ...c.patched });
    expect(pamWrites()).toEqual([{ method: 'PATCH', path: `${c.path}/${id}`, status: 200 }]);
  });

  it(`replace${c.typename} (PUT, PAM id) resets every omitted optional field`, async () => {
    const { id } = await seed();
    const name = uniq(`put-${c.field}`);
    const result = await mutate(stack, docs.replace, { id: String(id), input: c.minimal(name) });
    expect(result.__typename).toBe(`Replace${c.typename}Payload`);
    expect(comparable(c.table().get(id))).toEqual(c.reset(name));
    expect(pamWrites()).toEqual([{ method: 'PUT', path: `${c.path}/${id}`, status: 200 }]);
  });

  it(`delete${c.typename} deletes once and returns the global ID`, async () => {
    const { id } = await seed();
    const result = await mutate(stack, docs.remove, { id: String(id) });
    expect(result).toEqual({ __typename: `Delete${c.typename}Payload`, deletedId: globalId(c.typename, id) });
    expect(c.table().get(id)).toBeUndefined();
    expect(pamWrites()).toEqual([{ method: 'DELETE', path: `${c.path}/${id}`, status: 204 }]);
    const direct = await callSimulator(stack.sims.pam.url, 'GET', `${c.path}/${id}`, {
      auth: SUPERADMIN_TOKEN,
    });
    expect(direct.status).toBe(404);
  });

  it(`an unknown ${c.field} is a NotFoundError for update, replace and delete`, async () => {
    const missing = 313131;
    const size = c.table().size;
    const update = await mutate(stack, docs.update, {
      id: globalId(c.typename, missing),
      input: c.patch,
    });
    const replace = await mutate(stack, docs.replace, {
      id: String(missing),
      input: c.minimal(uniq('ghost')),
    });
    const remove = await mutate(stack, docs.remove, { id: String(missing) });
    expect([update.__typename, replace.__typename, remove.__typename]).toEqual([
      'NotFoundError',
      'NotFoundError',
      'NotFoundError',
    ]);
    expect(c.table().size).toBe(size);
    expect(pamWrites()).toEqual([
      { method: 'PATCH', path: `${c.path}/${missing}`, status: 404 },
      { method: 'PUT', path: `${c.path}/${missing}`, status: 404 },
      { method: 'DELETE', path: `${c.path}/${missing}`, status: 404 },
    ]);
  });

  it(`the operator gets a ForbiddenError for every ${c.field} write and nothing changes`, async () => {
    const { id } = await seed();
    const before = comparable(c.table().get(id));
    const size = c.table().size;
    const results = [
      await mutate(stack, docs.create, { input: c.input(uniq('op')) }, OPERATOR),
      await mutate(stack, docs.update, { id: String(id), input: c.patch }, OPERATOR),
      await mutate(stack, docs.replace, { id: String(id), input: c.minimal(uniq('op')) }, OPERATOR),
      await mutate(stack, docs.remove, { id: String(id) }, OPERATOR),
    ];
    expect(results.map((r) => r.__typename)).toEqual([
      'ForbiddenError',
      'ForbiddenError',
      'ForbiddenError',
      'ForbiddenError',
    ]);
    expect(comparable(c.table().get(id))).toEqual(before);
    expect(c.table().size).toBe(size);
    expect(pamWrites()).toEqual([
      { method: 'POST', path: c.path, status: 403 },
      { method: 'PATCH', path: `${c.path}/${id}`, status: 403 },
      { method: 'PUT', path: `${c.path}/${id}`, status: 403 },
      { method: 'DELETE', path: `${c.path}/${id}`, status: 403 },
    ]);
  });

  it(`a duplicate ${c.field} name (any case) is a ValidationError at input.name, on create and on update`, async () => {
    const existing = await seed();
    const other = await seed();
    const size = c.table().size;
    const create = await mutate(stack, docs.create, {
      input: c.input(existing.name.toUpperCase()),
    });
    expect(issuePaths(create)).toEqual(['input.name']);
    const rename = await mutate(stack, docs.update, {
      id: String(other.id),
      input: { name: existing.name },
    });
    expect(issuePaths(rename)).toEqual(['input.name']);
    expect(c.table().size).toBe(size);
    expect(c.table().get(other.id)?.name).toBe(other.name);
    expect(pamWrites()).toEqual([
      { method: 'POST', path: c.path, status: 400 },
      { method: 'PATCH', path: `${c.path}/${other.id}`, status: 400 },
    ]);
  });

  it(`a global ID of another type is a ValidationError at id for delete${c.typename}; nothing is sent`, async () => {
    const { id } = await seed();
    const result = await mutate(stack, docs.remove, {
      id: globalId(c.typename === 'Safe' ? 'Server' : 'Safe', id),
    });
    expect(issuePaths(result)).toEqual(['id']);
    expect(c.table().get(id)).toBeDefined();
    expect(pamWrites()).toEqual([]);
  });
});

describe('objects still in use', () => {
  it('deleteServer of a server accounts use is a ValidationError; the server stays', async () => {
    const server = await seedServer();
    await seedAccount(server.id);
    stack.resetRecords();
    const result = await mutate(stack, caseOf('Server').docs.remove, {
      id: globalId('Server', server.id),
    });
    expect(result.__typename).toBe('ValidationError');
    // About the object as a whole (upstream non_field_errors), not about a field.
    expect(issuePaths(result)).toEqual(['']);
    expect(state.servers.get(server.id)?.name).toBe(server.name);
    expect(pamWrites()).toEqual([
      { method: 'DELETE', path: `/api/system/servers/${server.id}`, status: 400 },
    ]);
  });

  it('deleteListener of a listener assignments use is a ValidationError; deleteSafe takes its assignments', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const safeId = await seedSafe();
    const listenerId = await seedListener();
    await writer.pam('POST', `/api/system/safes/${safeId}/accounts`, {
      account_id: id,
      listener_id: listenerId,
    });
    stack.resetRecords();
    const listener = await mutate(stack, caseOf('Listener').docs.remove, {
      id: String(listenerId),
    });
    expect(issuePaths(listener)).toEqual(['']);
    expect(state.listeners.get(listenerId)).toBeDefined();
    const safe = await mutate(stack, caseOf('Safe').docs.remove, { id: String(safeId) });
    expect(safe.__typename).toBe('DeleteSafePayload');
    expect(state.safes.get(safeId)).toBeUndefined();
    expect(assignmentsOf(safeId)).toEqual([]);
    expect(pamWrites()).toEqual([
      { method: 'DELETE', path: `/api/system/listeners/${listenerId}`, status: 400 },
      { method: 'DELETE', path: `/api/system/safes/${safeId}`, status: 204 },
    ]);
  });

  it('updateServer with an address, mask and port another server has is a ValidationError; nothing changes', async () => {
    const a = await seedServer();
    const b = await seedServer();
    const before = structuredClone(rowOf(state.servers, b.id));
    const taken = rowOf(state.servers, a.id);
    stack.resetRecords();
    const result = await mutate(stack, caseOf('Server').docs.update, {
      id: String(b.id),
      input: { address: taken.address, port: taken.port },
    });
    expect(result.__typename).toBe('ValidationError');
    expect(rowOf(state.servers, b.id)).toEqual(before);
  });
});

function caseOf(typename: Collection): ResourceCase {
  const found = CASES.find((c) => c.typename === typename);
  if (found === undefined) throw new Error(typename);
  return found;
}
