/**
 * Granted users (docs/upstreams.md §1.3) and safe assignments (§1.4) against the PAM simulator over real HTTP:
 * argument-style calls, so their 400 paths are argument names with no `input.` root. Also the deletes a
 * link blocks (a server used by accounts, a listener used by assignments).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, type RunningSimulators, startSimulators } from '../../src/simulator/index.js';
import type { UpstreamHttp } from '../../src/upstream/http.js';
import {
  assignAccountToSafe,
  grantAccountManagement,
  listeners,
  removeAccountFromSafe,
  revokeAccountManagement,
  servers,
} from '../../src/upstream/pam/index.js';
import type { WriteOutcome } from '../../src/write/types.js';
import { callSimulator } from '../support/seed.js';
import { scopedAs, testHttp } from '../support/upstream-client.js';

const deleteListener = listeners.remove;
const deleteServer = servers.remove;

const ADMIN = DEMO_CREDENTIALS.pam.superadminToken;
const OPERATOR = DEMO_CREDENTIALS.pam.operatorToken;

let sims: RunningSimulators;
let http: UpstreamHttp;
/** Fixtures created straight through the simulator's API. */
const ids = { server: 0, account: 0, other: 0, user: 0, safe: 0, listener: 0, listener2: 0 };

async function direct(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const reply = await callSimulator(sims.pam.url, method, path, { auth: ADMIN, body });
  return { status: reply.status, body: reply.body };
}
async function seed(path: string, body: unknown): Promise<number> {
  const res = await direct('POST', path, body);
  expect(res.status).toBe(201);
  return (res.body as { id: number }).id;
}

beforeAll(async () => {
  sims = await startSimulators({ empty: true });
  http = testHttp('pam', sims.pam.url);
  ids.server = await seed('/api/system/servers', {
    name: 'srv',
    address: '10.4.0.1',
    port: 22,
    protocol: 'ssh',
  });
  const account = (name: string) => ({
    name,
    type: 'forward',
    server_id: ids.server,
    credentials: { login: name },
  });
  ids.account = await seed('/api/system/accounts', account('acc-a'));
  ids.other = await seed('/api/system/accounts', account('acc-b'));
  ids.user = await seed('/api/system/users', { name: 'manager', role: 'operator' });
  ids.safe = await seed('/api/system/safes', { name: 'vault' });
  ids.listener = await seed('/api/system/listeners', { name: 'ssh-gw', protocol: 'ssh', mode: 'gateway' });
  ids.listener2 = await seed('/api/system/listeners', { name: 'ssh-gw2', protocol: 'ssh', mode: 'gateway' });
});
afterAll(async () => {
  await http?.close();
  await sims?.stop();
});

const pam = (credential: string = ADMIN) => scopedAs(http, credential);

/** Runs a write and checks it reached the simulator as exactly the one request `expected`. */
async function once<T>(expected: string | null, run: () => Promise<T>): Promise<T> {
  const last = sims.pam.requests.list().at(-1)?.seq ?? 0;
  const result = await run();
  const seen = sims.pam.requests
    .list()
    .filter((r) => r.seq > last)
    .map((r) => `${r.method} ${r.path}`);
  expect(seen).toEqual(expected === null ? [] : [expected]);
  return result;
}
const issuePaths = (outcome: WriteOutcome<unknown>) =>
  outcome.kind === 'invalid' ? outcome.issues.map((i) => i.path) : outcome;
const grants = async (accountId: number) =>
  (await direct('GET', `/api/system/accounts/${accountId}/granted_users`)).body;
const assignments = async (safeId: number) =>
  (await direct('GET', `/api/system/safes/${safeId}/accounts`)).body;

describe('grantAccountManagement / revokeAccountManagement', () => {
  const grantsPath = () => `/api/system/accounts/${ids.account}/granted_users`;

  it('grants once, answers the user ref, and the grant is listed upstream', async () => {
    const outcome = await once(`POST ${grantsPath()}`, () =>
      grantAccountManagement(pam(), ids.account, ids.user),
    );
    expect(outcome).toEqual({ kind: 'ok', value: { id: ids.user, name: 'manager' } });
    expect(await grants(ids.account)).toEqual([{ id: ids.user, name: 'manager' }]);
  });

  it('reports an unknown or already granted user at userId', async () => {
    expect(
      issuePaths(
        await once(`POST ${grantsPath()}`, () => grantAccountManagement(pam(), ids.account, 999_999)),
      ),
    ).toEqual(['userId']);
    expect(
      issuePaths(
        await once(`POST ${grantsPath()}`, () => grantAccountManagement(pam(), ids.account, ids.user)),
      ),
    ).toEqual(['userId']);
    expect(await grants(ids.account)).toEqual([{ id: ids.user, name: 'manager' }]);
  });

  it('is not_found for an unknown account and forbidden to an operator', async () => {
    const path = '/api/system/accounts/999999/granted_users';
    expect(await once(`POST ${path}`, () => grantAccountManagement(pam(), 999_999, ids.user))).toEqual({
      kind: 'not_found',
    });
    expect(await once(null, () => grantAccountManagement(pam(), 0, ids.user))).toEqual({ kind: 'not_found' });
    expect(
      await once(`POST /api/system/accounts/${ids.other}/granted_users`, () =>
        grantAccountManagement(pam(OPERATOR), ids.other, ids.user),
      ),
    ).toEqual({
      kind: 'forbidden',
    });
    expect(await grants(ids.other)).toEqual([]);
  });

  it('revokes once; the grant is gone upstream; revoking again is not_found', async () => {
    const item = `${grantsPath()}/${ids.user}`;
    expect(
      await once(`DELETE ${item}`, () => revokeAccountManagement(pam(OPERATOR), ids.account, ids.user)),
    ).toEqual({ kind: 'forbidden' });
    expect(await once(`DELETE ${item}`, () => revokeAccountManagement(pam(), ids.account, ids.user))).toEqual(
      { kind: 'ok', value: null },
    );
    expect(await grants(ids.account)).toEqual([]);
    expect(await once(`DELETE ${item}`, () => revokeAccountManagement(pam(), ids.account, ids.user))).toEqual(
      { kind: 'not_found' },
    );
    expect(await once(null, () => revokeAccountManagement(pam(), ids.account, -1))).toEqual({
      kind: 'not_found',
    });
  });
});

describe('assignAccountToSafe / removeAccountFromSafe', () => {
  const safePath = () => `/api/system/safes/${ids.safe}/accounts`;

  it('assigns once and the assignment is listed upstream', async () => {
    const outcome = await once(`POST ${safePath()}`, () =>
      assignAccountToSafe(pam(), ids.safe, ids.account, ids.listener),
    );
    expect(outcome).toEqual({
      kind: 'ok',
      value: {
        safeId: ids.safe,
        account: { id: ids.account, name: 'acc-a' },
        listener: { id: ids.listener, name: 'ssh-gw' },
      },
    });
    okValueOf(await assignAccountToSafe(pam(), ids.safe, ids.account, ids.listener2));
    expect(await assignments(ids.safe)).toEqual([
      expect.objectContaining({ account_id: ids.account, listener_id: ids.listener }),
      expect.objectContaining({ account_id: ids.account, listener_id: ids.listener2 }),
    ]);
  });

  it('reports unknown ids at their argument names and a duplicate at the whole call', async () => {
    const bad = await once(`POST ${safePath()}`, () =>
      assignAccountToSafe(pam(), ids.safe, 999_999, 888_888),
    );
    expect(issuePaths(bad)).toEqual(['accountId', 'listenerId']);
    // The simulator reports the duplicate triple under non_field_errors: no single argument is at fault.
    const duplicate = await once(`POST ${safePath()}`, () =>
      assignAccountToSafe(pam(), ids.safe, ids.account, ids.listener),
    );
    expect(issuePaths(duplicate)).toEqual(['']);
    expect(await assignments(ids.safe)).toHaveLength(2);
  });

  it('is not_found for an unknown safe and forbidden to an operator', async () => {
    expect(
      await once('POST /api/system/safes/999999/accounts', () =>
        assignAccountToSafe(pam(), 999_999, ids.other, ids.listener),
      ),
    ).toEqual({
      kind: 'not_found',
    });
    expect(
      await once(`POST ${safePath()}`, () =>
        assignAccountToSafe(pam(OPERATOR), ids.safe, ids.other, ids.listener),
      ),
    ).toEqual({ kind: 'forbidden' });
    expect(await once(null, () => assignAccountToSafe(pam(), 1.5, ids.other, ids.listener))).toEqual({
      kind: 'not_found',
    });
    expect(await assignments(ids.safe)).toHaveLength(2);
  });

  it('blocks deleting the listener and the server in use, as a 400 about the whole call', async () => {
    expect(
      issuePaths(
        await once(`DELETE /api/system/listeners/${ids.listener}`, () => deleteListener(pam(), ids.listener)),
      ),
    ).toEqual(['']);
    expect(
      issuePaths(
        await once(`DELETE /api/system/servers/${ids.server}`, () => deleteServer(pam(), ids.server)),
      ),
    ).toEqual(['']);
  });

  it('removes every assignment of the account once; again is not_found', async () => {
    const item = `${safePath()}/${ids.account}`;
    expect(
      await once(`DELETE ${item}`, () => removeAccountFromSafe(pam(OPERATOR), ids.safe, ids.account)),
    ).toEqual({ kind: 'forbidden' });
    expect(await assignments(ids.safe)).toHaveLength(2);
    expect(await once(`DELETE ${item}`, () => removeAccountFromSafe(pam(), ids.safe, ids.account))).toEqual({
      kind: 'ok',
      value: null,
    });
    expect(await assignments(ids.safe)).toEqual([]);
    expect(await once(`DELETE ${item}`, () => removeAccountFromSafe(pam(), ids.safe, ids.account))).toEqual({
      kind: 'not_found',
    });
    expect(
      await once('DELETE /api/system/safes/999999/accounts/1', () =>
        removeAccountFromSafe(pam(), 999_999, 1),
      ),
    ).toEqual({ kind: 'not_found' });
    expect(await once(null, () => removeAccountFromSafe(pam(), ids.safe, 0))).toEqual({ kind: 'not_found' });
  });
});

function okValueOf<T>(outcome: WriteOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}
