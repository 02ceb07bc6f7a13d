/**
 * docs/upstreams.md §1.9 password change policies and §1.4 safe assignments through real HTTP against an empty
 * simulator.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, OP, pamCollectionsContract } from '../support/pam-collections-contract.js';

const contract = pamCollectionsContract();
const { call, post } = contract;
let sim: ReturnType<typeof contract.current>['sim'];
let userSession: string;
beforeAll(() => {
  ({ sim, userSession } = contract.current());
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
