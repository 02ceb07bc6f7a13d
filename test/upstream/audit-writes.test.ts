/**
 * Audit entry writes against the Audit simulator over real HTTP: upstream effect read back with a plain
 * `fetch`, `fields` paths as input paths, full replace on PUT, organisation scoping as `not_found`, ids that
 * cannot exist answered without a request, and exactly one request per write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, type RunningSimulators, startSimulators } from '../../src/simulator/index.js';
import type { AuditEntry } from '../../src/upstream/audit.js';
import { createAuditEntry, deleteAuditEntry, replaceAuditEntry } from '../../src/upstream/audit-writes.js';
import type { UpstreamHttp } from '../../src/upstream/http.js';
import type { AuditEntryWrite, WriteOutcome } from '../../src/write/types.js';
import { callSimulator } from '../support/seed.js';
import { scopedAs, testHttp } from '../support/upstream-client.js';

const { primaryKey: KEY, primaryOrganization: ORG, secondaryKey: OTHER_KEY } = DEMO_CREDENTIALS.audit;
const BASE = '/ux/nccm/jobs-account-audit/';
const DEVICE_PW = 'device-pw-3e9f';
const ENABLE_PW = 'enable-pw-77aa';

let sims: RunningSimulators;
let http: UpstreamHttp;

beforeAll(async () => {
  sims = await startSimulators({ empty: true });
  http = testHttp('audit', sims.audit.url);
});
afterAll(async () => {
  await http?.close();
  await sims?.stop();
});

const audit = (credential: string = KEY) => scopedAs(http, credential);

/** GET straight from the simulator, bypassing the client under test. */
async function read(id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const reply = await callSimulator<Record<string, unknown>>(sims.audit.url, 'GET', `${BASE}${id}/`, {
    auth: KEY,
  });
  return { status: reply.status, body: reply.body };
}

/** Runs a write and checks it reached the simulator as exactly the one request `expected`. */
async function once<T>(expected: string | null, run: () => Promise<T>): Promise<T> {
  const last = sims.audit.requests.list().at(-1)?.seq ?? 0;
  const result = await run();
  const seen = sims.audit.requests
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
const paths = (outcome: WriteOutcome<unknown>) =>
  outcome.kind === 'invalid' ? outcome.issues.map((i) => i.path).sort() : outcome;

const full: AuditEntryWrite = {
  organization: ORG,
  jobId: 'job-1',
  ciId: 'ci-1',
  ipAddress: '10.9.0.1',
  deviceAccount: 'admin',
  devicePassword: DEVICE_PW,
  enablePassword: ENABLE_PW,
  connectionProtocol: 'ssh',
  taskOwner: 'ops',
  jobName: 'nightly',
  lastUpdateTime: '2026-01-02T03:04:05Z',
};
const make = async (): Promise<AuditEntry> => okValue(await createAuditEntry(audit(), full));
const MISSING = 'aaaaaaaaaaaaaaaaaaaaaaaa';

describe('createAuditEntry', () => {
  it('POSTs once; the entry is stored with the snake_case fields, and the passwords stay out of the DTO', async () => {
    const entry = okValue(await once(`POST ${BASE}`, () => createAuditEntry(audit(), full)));
    expect(entry).toMatchObject({
      organization: ORG,
      ipAddress: '10.9.0.1',
      deviceAccount: 'admin',
      hasDevicePassword: true,
      hasEnablePassword: true,
      connectionProtocol: 'ssh',
      lastUpdateTime: '2026-01-02T03:04:05.000Z',
      jobIterationId: null,
    });
    expect(JSON.stringify(entry)).not.toContain(DEVICE_PW);
    expect(JSON.stringify(entry)).not.toContain(ENABLE_PW);
    const upstream = await read(entry.id);
    expect(upstream.body).toMatchObject({
      ipaddress: '10.9.0.1',
      device_account: 'admin',
      dpassword: DEVICE_PW,
      denable_password: ENABLE_PW,
      job_id: 'job-1',
      ci_id: 'ci-1',
      task_owner: 'ops',
      job_name: 'nightly',
    });
  });

  it('reports an organisation mismatch and field limits at their input paths, and stores nothing', async () => {
    const before = sims.audit.state.store.size;
    const bad: AuditEntryWrite = {
      organization: 'someone-else',
      connectionProtocol: 'x'.repeat(26),
      devicePassword: 'p'.repeat(226),
      ipAddress: 'i'.repeat(226),
    };
    const outcome = await once(`POST ${BASE}`, () => createAuditEntry(audit(), bad));
    expect(paths(outcome)).toEqual([
      'input.connectionProtocol',
      'input.devicePassword',
      'input.ipAddress',
      'input.organization',
    ]);
    expect(JSON.stringify(outcome)).not.toContain('p'.repeat(226));
    expect(sims.audit.state.store.size).toBe(before);
  });

  it('throws UNAUTHENTICATED for an unknown key', async () => {
    await expect(once(`POST ${BASE}`, () => createAuditEntry(audit('nope'), full))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('replaceAuditEntry (PUT)', () => {
  it('replaces the writable fields once; omitted optional fields become "" upstream', async () => {
    const { id } = await make();
    const outcome = await once(`PUT ${BASE}${id}/`, () =>
      replaceAuditEntry(audit(), id, { organization: ORG, jobName: 'renamed' }),
    );
    expect(okValue(outcome)).toMatchObject({
      id,
      jobName: 'renamed',
      ipAddress: null,
      hasDevicePassword: false,
    });
    expect((await read(id)).body).toMatchObject({
      job_name: 'renamed',
      ipaddress: '',
      dpassword: '',
      denable_password: '',
      job_id: '',
    });
  });

  it('reports field errors at input paths and leaves the entry as it was', async () => {
    const { id } = await make();
    const before = await read(id);
    const outcome = await once(`PUT ${BASE}${id}/`, () =>
      replaceAuditEntry(audit(), id, { organization: 'globex-telecom', lastUpdateTime: 'yesterday' }),
    );
    expect(paths(outcome)).toEqual(['input.lastUpdateTime', 'input.organization']);
    expect(await read(id)).toEqual(before);
  });

  it('is not_found for an unknown id or another organisation; an id that is not an ObjectId sends nothing', async () => {
    const { id } = await make();
    expect(await once(`PUT ${BASE}${MISSING}/`, () => replaceAuditEntry(audit(), MISSING, full))).toEqual({
      kind: 'not_found',
    });
    const other = { ...full, organization: DEMO_CREDENTIALS.audit.secondaryOrganization };
    expect(await once(`PUT ${BASE}${id}/`, () => replaceAuditEntry(audit(OTHER_KEY), id, other))).toEqual({
      kind: 'not_found',
    });
    for (const bad of ['', 'AAAAAAAAAAAAAAAAAAAAAAAA', `${MISSING}a`, '../options', `${MISSING.slice(1)}/`]) {
      expect(await once(null, () => replaceAuditEntry(audit(), bad, full))).toEqual({ kind: 'not_found' });
    }
    expect((await read(id)).body).toMatchObject({ job_name: 'nightly' });
  });
});

describe('deleteAuditEntry', () => {
  it('DELETEs once; the entry is gone upstream; again is not_found', async () => {
    const { id } = await make();
    expect(await once(`DELETE ${BASE}${id}/`, () => deleteAuditEntry(audit(), id))).toEqual({
      kind: 'ok',
      value: null,
    });
    expect((await read(id)).status).toBe(404);
    expect(await once(`DELETE ${BASE}${id}/`, () => deleteAuditEntry(audit(), id))).toEqual({
      kind: 'not_found',
    });
  });

  it('is not_found for another organisation (and deletes nothing); a malformed id sends nothing', async () => {
    const { id } = await make();
    expect(await once(`DELETE ${BASE}${id}/`, () => deleteAuditEntry(audit(OTHER_KEY), id))).toEqual({
      kind: 'not_found',
    });
    expect((await read(id)).status).toBe(200);
    expect(await once(null, () => deleteAuditEntry(audit(), 'options'))).toEqual({ kind: 'not_found' });
  });
});
