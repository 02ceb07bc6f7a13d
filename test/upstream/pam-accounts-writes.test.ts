/**
 * Account writes against the PAM simulator over real HTTP: what each call leaves upstream (read back with a
 * plain `fetch`, not through the client), how 400 paths come back as input paths, PATCH versus PUT, and
 * that every write is exactly one request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, type RunningSimulators, startSimulators } from '../../src/simulator/index.js';
import type { UpstreamHttp } from '../../src/upstream/http.js';
import { accounts, type PamAccount } from '../../src/upstream/pam/index.js';
import type { AccountWrite, InputIssue, WriteOutcome } from '../../src/write/types.js';
import { callSimulator } from '../support/seed.js';
import { scopedAs, testHttp } from '../support/upstream-client.js';

const {
  create: createAccount,
  replace: replaceAccount,
  update: updateAccount,
  remove: deleteAccount,
} = accounts;

const ADMIN = DEMO_CREDENTIALS.pam.superadminToken;
const OPERATOR = DEMO_CREDENTIALS.pam.operatorToken;
const SECRET = 'acct-secret-91b2';
const ENABLE = 'enable-secret-5d0a';

let sims: RunningSimulators;
let http: UpstreamHttp;
let serverId: number;

beforeAll(async () => {
  sims = await startSimulators({ empty: true });
  http = testHttp('pam', sims.pam.url);
  serverId = (
    (await seed('/api/system/servers', { name: 'db-1', address: '10.1.0.1', port: 22, protocol: 'ssh' })) as {
      id: number;
    }
  ).id;
});
afterAll(async () => {
  await http?.close();
  await sims?.stop();
});

const pam = (credential: string = ADMIN) => scopedAs(http, credential);

/** A direct call to the simulator, bypassing the client under test. */
async function direct(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const reply = await callSimulator(sims.pam.url, method, path, { auth: ADMIN, body });
  return { status: reply.status, body: reply.body };
}
async function seed(path: string, body: unknown): Promise<unknown> {
  const res = await direct('POST', path, body);
  expect(res.status).toBe(201);
  return res.body;
}
const read = async (id: number) =>
  (await direct('GET', `/api/system/accounts/${id}`)) as { status: number; body: Record<string, unknown> };

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
function okValue<T>(outcome: WriteOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}
function issuesOf(outcome: WriteOutcome<unknown>): InputIssue[] {
  if (outcome.kind !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(outcome)}`);
  return outcome.issues;
}
const paths = (outcome: WriteOutcome<unknown>) =>
  issuesOf(outcome)
    .map((i) => i.path)
    .sort();

const full = (name: string): AccountWrite => ({
  name,
  type: 'regular',
  serverId,
  credentials: {
    login: 'root',
    domain: 'CORP',
    method: 'password',
    secret: SECRET,
    passwordChangePolicyId: 1,
  },
  dumpMode: 'raw',
  ocrEnabled: true,
  ocrLang: 'eng',
  passwordCheckoutTimeLimit: '01:00:00',
  retention: 30,
  passwordChangers: [
    { changerId: 5, position: 0, timeout: 60, privilegedModePassword: ENABLE, privilegedUsername: 'en' },
  ],
});
const stored = (id: number) => sims.pam.state.accounts.get(id);

async function created(name: string): Promise<PamAccount> {
  return okValue(await createAccount(pam(), full(name)));
}

describe('createAccount', () => {
  it('POSTs the snake_case body once and decodes the 201', async () => {
    const account = okValue(
      await once('POST /api/system/accounts', () => createAccount(pam(), full('acc-create'))),
    );
    expect(account).toMatchObject({
      name: 'acc-create',
      serverId,
      dumpMode: 'raw',
      retention: 30,
      ocrLang: 'eng',
    });
    expect(account.credentials).toMatchObject({
      login: 'root',
      domain: 'CORP',
      method: 'password',
      passwordChangePolicyId: 1,
    });
    expect(account.passwordChangers).toEqual([
      expect.objectContaining({
        changerId: 5,
        type: 'change',
        position: 0,
        timeout: 60,
        privilegedUsername: 'en',
      }),
    ]);
    const upstream = await read(account.id);
    expect(upstream.body).toMatchObject({
      name: 'acc-create',
      server_id: serverId,
      dump_mode: 'raw',
      ocr_enabled: true,
      password_checkout_time_limit: '01:00:00',
      credentials: { login: 'root', domain: 'CORP', method: 'password', password_change_policy_id: 1 },
      accountpasswordchanger_set: [{ id: 5, timeout: 60, privileged_username: 'en' }],
    });
    expect(JSON.stringify(upstream.body)).not.toContain(SECRET);
    expect(stored(account.id)?.credentials?.secret).toBe(SECRET);
    expect(stored(account.id)?.changers[0]?.privilegedModePassword).toBe(ENABLE);
    expect(JSON.stringify(account)).not.toContain(SECRET);
  });

  it('translates 400 paths to input paths and writes nothing', async () => {
    await created('acc-dup');
    const before = sims.pam.state.accounts.size;
    const w = full('ACC-DUP');
    w.serverId = 999_999;
    w.credentials = { login: 'root', method: 'password', passwordChangePolicyId: 1 };
    w.passwordChangers = [
      { changerId: 5, position: 0, timeout: 0 },
      { changerId: 9, position: 1, timeout: 5 },
    ];
    const outcome = await once('POST /api/system/accounts', () => createAccount(pam(), w));
    expect(paths(outcome)).toEqual([
      'input.credentials.secret',
      'input.name',
      'input.passwordChangers.0.privilegedModePassword',
      'input.passwordChangers.0.timeout',
      'input.passwordChangers.1.changerId',
      'input.serverId',
    ]);
    expect(issuesOf(outcome).every((i) => i.message.length > 0)).toBe(true);
    expect(sims.pam.state.accounts.size).toBe(before);
  });

  it('is forbidden to an operator', async () => {
    expect(
      await once('POST /api/system/accounts', () => createAccount(pam(OPERATOR), full('acc-op'))),
    ).toEqual({ kind: 'forbidden' });
    expect(sims.pam.state.accounts.findByName('acc-op')).toBeUndefined();
  });
});

describe('updateAccount (PATCH)', () => {
  it('changes only the fields given; omitted fields and secrets keep their values upstream', async () => {
    const { id } = await created('acc-patch');
    const outcome = await once(`PATCH /api/system/accounts/${id}`, () =>
      updateAccount(pam(), id, { name: 'acc-patched', credentials: { login: 'admin' } }),
    );
    expect(okValue(outcome)).toMatchObject({ id, name: 'acc-patched', dumpMode: 'raw', retention: 30 });
    const upstream = await read(id);
    expect(upstream.body).toMatchObject({
      name: 'acc-patched',
      dump_mode: 'raw',
      ocr_enabled: true,
      ocr_lang: 'eng',
      retention: 30,
      password_checkout_time_limit: '01:00:00',
      credentials: { login: 'admin', domain: 'CORP', method: 'password' },
      accountpasswordchanger_set: [{ id: 5, timeout: 60 }],
    });
    expect(stored(id)?.credentials?.secret).toBe(SECRET);
  });

  it('reports an immutable field at its input path', async () => {
    const { id } = await created('acc-immutable');
    const outcome = await once(`PATCH /api/system/accounts/${id}`, () =>
      updateAccount(pam(), id, { type: 'forward' }),
    );
    expect(paths(outcome)).toEqual(['input.type']);
  });

  it('is not_found for an unknown id, forbidden to an operator, and sends nothing for an impossible id', async () => {
    expect(
      await once('PATCH /api/system/accounts/999999', () => updateAccount(pam(), 999_999, { name: 'x' })),
    ).toEqual({ kind: 'not_found' });
    expect(
      await once('PATCH /api/system/accounts/1', () => updateAccount(pam(OPERATOR), 1, { name: 'x' })),
    ).toEqual({ kind: 'forbidden' });
    for (const id of [0, -1, 1.5, Number.NaN]) {
      expect(await once(null, () => updateAccount(pam(), id, { name: 'x' }))).toEqual({ kind: 'not_found' });
    }
  });
});

describe('replaceAccount (PUT)', () => {
  it('resets omitted optional fields to their defaults upstream', async () => {
    const { id } = await created('acc-put');
    const w: AccountWrite = {
      name: 'acc-put',
      type: 'regular',
      serverId,
      credentials: { login: 'root', method: 'password', secret: 'new-secret-1', passwordChangePolicyId: 1 },
    };
    const outcome = await once(`PUT /api/system/accounts/${id}`, () => replaceAccount(pam(), id, w));
    expect(okValue(outcome)).toMatchObject({
      dumpMode: 'all',
      ocrEnabled: false,
      retention: null,
      passwordChangers: [],
    });
    const upstream = await read(id);
    expect(upstream.body).toMatchObject({
      dump_mode: 'all',
      ocr_enabled: false,
      ocr_lang: '',
      retention: null,
      password_checkout_time_limit: null,
      credentials: { domain: '', login: 'root' },
      accountpasswordchanger_set: [],
    });
    expect(stored(id)?.credentials?.secret).toBe('new-secret-1');
  });

  it('is not_found for an unknown id and forbidden to an operator', async () => {
    const w = full('acc-put-missing');
    expect(await once('PUT /api/system/accounts/999999', () => replaceAccount(pam(), 999_999, w))).toEqual({
      kind: 'not_found',
    });
    expect(await once('PUT /api/system/accounts/1', () => replaceAccount(pam(OPERATOR), 1, w))).toEqual({
      kind: 'forbidden',
    });
    expect(await once(null, () => replaceAccount(pam(), 0, w))).toEqual({ kind: 'not_found' });
  });
});

describe('deleteAccount', () => {
  it('DELETEs once; the account is gone upstream', async () => {
    const { id } = await created('acc-delete');
    expect(await once(`DELETE /api/system/accounts/${id}`, () => deleteAccount(pam(), id))).toEqual({
      kind: 'ok',
      value: null,
    });
    expect((await read(id)).status).toBe(404);
    expect(await once(`DELETE /api/system/accounts/${id}`, () => deleteAccount(pam(), id))).toEqual({
      kind: 'not_found',
    });
  });

  it('is forbidden to an operator and leaves the account in place', async () => {
    const { id } = await created('acc-delete-op');
    expect(await once(`DELETE /api/system/accounts/${id}`, () => deleteAccount(pam(OPERATOR), id))).toEqual({
      kind: 'forbidden',
    });
    expect((await read(id)).status).toBe(200);
  });
});
