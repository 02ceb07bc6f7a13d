/**
 * updateAccount (PATCH), replaceAccount (PUT) and deleteAccount through HTTP against the PAM simulator: the
 * typed result, then the simulator's own state and its REST answer read back directly (never through the
 * gateway), and the write requests it received; unknown ids, the read-only operator and IDs of another type.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PamState } from '../../src/simulator/pam/store.js';
import {
  CreateAccountDocument,
  DeleteAccountDocument,
  ReplaceAccountDocument,
  UpdateAccountDocument,
} from '../gql/graphql.js';
import { globalId, issuePaths, member, mutate, OPERATOR, SUPERADMIN_TOKEN } from '../support/mutations.js';
import { pamMutationFixture, rowOf } from '../support/pam-mutations.js';
import { callSimulator, type SimulatorWriter } from '../support/seed.js';
import type { Stack } from '../support/stack.js';

const fixture = pamMutationFixture();
const { uniq, pamWrites, seedServer, seedAccount, seedSafe, seedListener } = fixture;
let stack: Stack;
let writer: SimulatorWriter;
let state: PamState;
beforeAll(() => {
  ({ stack, writer, state } = fixture.current());
});

describe('updating, replacing and deleting accounts', () => {
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
