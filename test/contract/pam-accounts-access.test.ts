/**
 * docs/upstreams.md §1.1 and §1.3 through real HTTP against an empty simulator: which accounts an operator sees,
 * granted users (grant, list, revoke, errors) and what deleting a user or an account removes with it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, OP, OPERATOR_ID, pamAccountsContract } from '../support/pam-accounts-contract.js';

const contract = pamAccountsContract();
const { call, regular, createAccount } = contract;
let sim: ReturnType<typeof contract.current>['sim'];
let userSession: string;
beforeAll(() => {
  ({ sim, userSession } = contract.current());
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

contract.describeWriteOnlyCheck(40);
