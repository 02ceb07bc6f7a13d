/**
 * Server, safe, listener and user writes against the PAM simulator over real HTTP, one suite per collection
 * from one table: each call's upstream effect read back with a plain `fetch`, PATCH versus PUT, 400 paths,
 * 404, 403, and exactly one request per write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, type RunningSimulators, startSimulators } from '../../src/simulator/index.js';
import type { UpstreamHttp } from '../../src/upstream/http.js';
import { listeners, safes, servers, users } from '../../src/upstream/pam/index.js';
import type { ScopedUpstream } from '../../src/upstream/scope.js';
import type {
  InputIssue,
  ListenerWrite,
  SafeWrite,
  ServerWrite,
  UserWrite,
  WriteOutcome,
} from '../../src/write/types.js';
import { callSimulator } from '../support/seed.js';
import { scopedAs, testHttp } from '../support/upstream-client.js';

type CreateCall<W, T> = (pam: ScopedUpstream, w: W) => Promise<WriteOutcome<T>>;
type ChangeCall<W, T> = (pam: ScopedUpstream, id: number, w: W) => Promise<WriteOutcome<T>>;
type DeleteCall = (pam: ScopedUpstream, id: number) => Promise<WriteOutcome<null>>;
const { create: createServer, replace: replaceServer, update: updateServer, remove: deleteServer } = servers;
const { create: createSafe, replace: replaceSafe, update: updateSafe, remove: deleteSafe } = safes;
const {
  create: createListener,
  replace: replaceListener,
  update: updateListener,
  remove: deleteListener,
} = listeners;
const { create: createUser, replace: replaceUser, update: updateUser, remove: deleteUser } = users;

const ADMIN = DEMO_CREDENTIALS.pam.superadminToken;
const OPERATOR = DEMO_CREDENTIALS.pam.operatorToken;

let sims: RunningSimulators;
let http: UpstreamHttp;

beforeAll(async () => {
  sims = await startSimulators({ empty: true });
  http = testHttp('pam', sims.pam.url);
});
afterAll(async () => {
  await http?.close();
  await sims?.stop();
});

const pam = (credential: string = ADMIN) => scopedAs(http, credential);

/** GET straight from the simulator, bypassing the client under test. */
async function read(path: string): Promise<{ status: number; body: unknown }> {
  const reply = await callSimulator(sims.pam.url, 'GET', path, { auth: ADMIN });
  return { status: reply.status, body: reply.body };
}

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
function paths(outcome: WriteOutcome<unknown>): string[] {
  if (outcome.kind !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(outcome)}`);
  return outcome.issues.map((i: InputIssue) => i.path).sort();
}

interface Case<W> {
  path: string;
  create: CreateCall<W, { id: number; name: string }>;
  replace: ChangeCall<W, { id: number; name: string }>;
  update: ChangeCall<W, { id: number; name: string }>;
  remove: DeleteCall;
  /** Every optional field set; `n` keeps unique-together fields apart. */
  full(name: string, n: number): W;
  /** Required fields only, for PUT. */
  minimal(name: string, n: number): W;
  patch: W;
  /** Upstream fields after a create (some) and after the PATCH (all, omitted ones unchanged). */
  created: Record<string, unknown>;
  patched: Record<string, unknown>;
  /** Upstream fields after a PUT of `minimal`: omitted ones back to their defaults. */
  reset: Record<string, unknown>;
  invalid: Array<{ write: W; paths: string[] }>;
}

function suite<W>(label: string, c: Case<W>): void {
  let n = 0;
  const make = async (name: string) => okValue(await c.create(pam(), c.full(name, ++n)));
  const item = (id: number | string) => `${c.path}/${id}`;

  describe(label, () => {
    it('create: POSTs once, 201 decoded, stored upstream', async () => {
      const created = okValue(
        await once(`POST ${c.path}`, () => c.create(pam(), c.full(`${label}-new`, ++n))),
      );
      expect(created.name).toBe(`${label}-new`);
      expect(await read(item(created.id))).toEqual({ status: 200, body: expect.objectContaining(c.created) });
    });

    it('create: 400 paths are input paths (duplicate name → input.name)', async () => {
      const { name } = await make(`${label}-dup`);
      const before = (await read(c.path)).body;
      expect(
        paths(await once(`POST ${c.path}`, () => c.create(pam(), c.full(name.toUpperCase(), ++n)))),
      ).toContain('input.name');
      for (const bad of c.invalid)
        expect(paths(await once(`POST ${c.path}`, () => c.create(pam(), bad.write)))).toEqual(bad.paths);
      expect((await read(c.path)).body).toEqual(before);
    });

    it('update (PATCH): omitted fields keep their values upstream', async () => {
      const { id } = await make(`${label}-patch`);
      okValue(await once(`PATCH ${item(id)}`, () => c.update(pam(), id, c.patch)));
      expect((await read(item(id))).body).toMatchObject({ name: `${label}-patch`, ...c.patched });
    });

    it('replace (PUT): omitted fields are reset upstream', async () => {
      const { id } = await make(`${label}-put`);
      okValue(await once(`PUT ${item(id)}`, () => c.replace(pam(), id, c.minimal(`${label}-put2`, ++n))));
      expect((await read(item(id))).body).toMatchObject({ name: `${label}-put2`, ...c.reset });
    });

    it('delete: DELETEs once, gone upstream, then not_found', async () => {
      const { id } = await make(`${label}-delete`);
      expect(await once(`DELETE ${item(id)}`, () => c.remove(pam(), id))).toEqual({
        kind: 'ok',
        value: null,
      });
      expect((await read(item(id))).status).toBe(404);
      expect(await once(`DELETE ${item(id)}`, () => c.remove(pam(), id))).toEqual({ kind: 'not_found' });
    });

    it('unknown ids are not_found; impossible ids send nothing', async () => {
      const w = c.full(`${label}-missing`, ++n);
      expect(await once(`PUT ${item(999999)}`, () => c.replace(pam(), 999_999, w))).toEqual({
        kind: 'not_found',
      });
      expect(await once(`PATCH ${item(999999)}`, () => c.update(pam(), 999_999, c.patch))).toEqual({
        kind: 'not_found',
      });
      expect(await once(null, () => c.replace(pam(), 0, w))).toEqual({ kind: 'not_found' });
      expect(await once(null, () => c.update(pam(), -3, c.patch))).toEqual({ kind: 'not_found' });
      expect(await once(null, () => c.remove(pam(), 2 ** 60))).toEqual({ kind: 'not_found' });
    });

    it('every write is forbidden to an operator and changes nothing', async () => {
      const { id } = await make(`${label}-op`);
      const before = await read(item(id));
      const op = pam(OPERATOR);
      const w = c.full(`${label}-op2`, ++n);
      expect(await once(`POST ${c.path}`, () => c.create(op, w))).toEqual({ kind: 'forbidden' });
      expect(await once(`PUT ${item(id)}`, () => c.replace(op, id, w))).toEqual({ kind: 'forbidden' });
      expect(await once(`PATCH ${item(id)}`, () => c.update(op, id, c.patch))).toEqual({ kind: 'forbidden' });
      expect(await once(`DELETE ${item(id)}`, () => c.remove(op, id))).toEqual({ kind: 'forbidden' });
      expect(await read(item(id))).toEqual(before);
    });
  });
}

suite<ServerWrite>('server', {
  path: '/api/system/servers',
  create: createServer,
  replace: replaceServer,
  update: updateServer,
  remove: deleteServer,
  full: (name, n) => ({
    name,
    description: 'primary',
    address: '10.2.0.1',
    mask: 32,
    port: 1000 + n,
    protocol: 'ssh',
    bindIp: '10.2.0.254',
  }),
  minimal: (name, n) => ({ name, address: '10.2.0.1', port: 1000 + n, protocol: 'ssh' }),
  patch: { description: 'changed' },
  created: { description: 'primary', address: '10.2.0.1', mask: 32, bind_ip: '10.2.0.254', protocol: 'ssh' },
  patched: { description: 'changed', address: '10.2.0.1', mask: 32, bind_ip: '10.2.0.254' },
  reset: { description: '', mask: null, bind_ip: null },
  invalid: [
    {
      write: { name: 's-bad', address: 'nope', port: 0, protocol: 'ssh', blocked: true },
      paths: ['input.address', 'input.port', 'input.reason'],
    },
    // (address, mask, port) unique together: a non_field_errors issue, about the input as a whole.
    {
      write: { name: 's-same', address: '10.2.0.1', mask: 32, port: 1001, protocol: 'ssh' },
      paths: ['input'],
    },
  ],
});

suite<SafeWrite>('safe', {
  path: '/api/system/safes',
  create: createSafe,
  replace: replaceSafe,
  update: updateSafe,
  remove: deleteSafe,
  full: (name) => ({
    name,
    loginReason: true,
    requireConfirmation: true,
    requiredVotes: 2,
    webclient: false,
    inactivityLimit: 5,
    timeLimit: 60,
    noteAccess: 'read',
  }),
  minimal: (name) => ({ name }),
  patch: { timeLimit: 10 },
  created: { login_reason: true, required_votes: 2, webclient: false, note_access: 'read', time_limit: 60 },
  patched: {
    login_reason: true,
    require_confirmation: true,
    required_votes: 2,
    webclient: false,
    inactivity_limit: 5,
    time_limit: 10,
    note_access: 'read',
  },
  reset: {
    login_reason: false,
    require_confirmation: false,
    required_votes: 0,
    webclient: true,
    inactivity_limit: 0,
    time_limit: 0,
    note_access: 'none',
  },
  invalid: [
    {
      write: { name: '', requiredVotes: -1, blocked: true, reason: null },
      paths: ['input.name', 'input.reason', 'input.requiredVotes'],
    },
  ],
});

suite<ListenerWrite>('listener', {
  path: '/api/system/listeners',
  create: createListener,
  replace: replaceListener,
  update: updateListener,
  remove: deleteListener,
  full: (name, n) => ({
    name,
    protocol: 'ssh',
    mode: 'proxy',
    listenIp: '10.3.0.1',
    listenPort: 2000 + n,
    externalAddress: 'bastion.example',
    externalPort: 22,
  }),
  minimal: (name) => ({ name, protocol: 'ssh', mode: 'gateway' }),
  patch: { externalPort: 2222 },
  created: {
    protocol: 'ssh',
    mode: 'proxy',
    listen_ip: '10.3.0.1',
    external_address: 'bastion.example',
    external_port: 22,
  },
  patched: { mode: 'proxy', listen_ip: '10.3.0.1', external_address: 'bastion.example', external_port: 2222 },
  reset: {
    mode: 'gateway',
    listen_ip: '0.0.0.0',
    listen_port: null,
    external_address: null,
    external_port: null,
  },
  invalid: [
    {
      write: {
        name: 'l-bad',
        protocol: 'ssh',
        mode: 'bastion',
        listenIp: 'x',
        listenPort: null,
        externalAddress: 'e',
      },
      paths: ['input.externalPort', 'input.listenIp', 'input.listenPort'],
    },
  ],
});

suite<UserWrite>('user', {
  path: '/api/system/users',
  create: createUser,
  replace: replaceUser,
  update: updateUser,
  remove: deleteUser,
  full: (name) => ({
    name,
    role: 'admin',
    fullName: 'Full Name',
    email: 'u@example.com',
    password: 'user-pw-1',
  }),
  minimal: (name) => ({ name, role: 'user' }),
  patch: { fullName: 'Other Name' },
  created: { role: 'admin', full_name: 'Full Name', email: 'u@example.com' },
  patched: { role: 'admin', full_name: 'Other Name', email: 'u@example.com' },
  reset: { role: 'user', full_name: null, email: null },
  invalid: [{ write: { name: 'u-bad', role: 'admin', email: 'not-an-address' }, paths: ['input.email'] }],
});

describe('user password (write-only)', () => {
  it('is stored, kept by PATCH, cleared by PUT, and never in a response', async () => {
    const created = okValue(
      await createUser(pam(), { name: 'pw-user', role: 'admin', password: 'pw-42-secret' }),
    );
    const stored = () => sims.pam.state.users.get(created.id)?.password;
    expect(stored()).toBe('pw-42-secret');
    expect(JSON.stringify(await read(`/api/system/users/${created.id}`))).not.toContain('pw-42-secret');
    okValue(await updateUser(pam(), created.id, { email: 'pw@example.com' }));
    expect(stored()).toBe('pw-42-secret');
    okValue(await replaceUser(pam(), created.id, { name: 'pw-user', role: 'admin' }));
    expect(stored()).toBeNull();
  });
});
