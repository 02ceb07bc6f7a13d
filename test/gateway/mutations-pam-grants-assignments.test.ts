/**
 * The PAM link mutations through HTTP against the simulator: granting and revoking account management
 * (granted users) and assigning accounts to safes through listeners and removing them. Each is checked by the
 * typed result, the simulator's own state and the write requests it received.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PamState } from '../../src/simulator/pam/store.js';
import {
  AssignAccountToSafeDocument,
  GrantAccountManagementDocument,
  RemoveAccountFromSafeDocument,
  RevokeAccountManagementDocument,
} from '../gql/graphql.js';
import { globalId, issuePaths, mutate, OPERATOR } from '../support/mutations.js';
import { pamMutationFixture } from '../support/pam-mutations.js';
import type { SimulatorWriter } from '../support/seed.js';
import type { Stack } from '../support/stack.js';

const fixture = pamMutationFixture();
const { pamWrites, seedServer, seedAccount, seedSafe, seedListener, assignmentsOf } = fixture;
let stack: Stack;
let writer: SimulatorWriter;
let state: PamState;
beforeAll(() => {
  ({ stack, writer, state } = fixture.current());
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
