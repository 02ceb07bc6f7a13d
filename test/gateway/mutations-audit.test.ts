/**
 * The Audit mutations through HTTP with the primary organisation's key: the typed result, then the entry as the
 * Audit simulator holds it, read back directly over its REST API (which returns `dpassword` in clear), and the
 * write requests it received.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/simulator/audit/fields.js';
import {
  CreateAuditEntryDocument,
  DeleteAuditEntryDocument,
  ReplaceAuditEntryDocument,
} from '../gql/graphql.js';
import { globalId, issuePaths, member, mutate, writesSeen } from '../support/mutations.js';
import { callSimulator, SimulatorWriter } from '../support/seed.js';
import { type Stack, startStack } from '../support/stack.js';

const PATH = '/ux/nccm/jobs-account-audit/';

let stack: Stack;
let writer: SimulatorWriter;
let primaryKey: string;
let primaryOrg: string;
let secondaryKey: string;
let secondaryOrg: string;
/** The header the gateway reads the caller's Audit key from. */
let asPrimary: Record<string, string>;

beforeAll(async () => {
  stack = await startStack({ simulators: { empty: true } });
  const { audit, pam } = stack.sims.credentials;
  primaryKey = audit.primaryKey;
  primaryOrg = audit.primaryOrganization;
  secondaryKey = audit.secondaryKey;
  secondaryOrg = audit.secondaryOrganization;
  asPrimary = { 'x-audit-key': primaryKey };
  writer = new SimulatorWriter(stack.sims.pam.url, pam.superadminToken, stack.sims.audit.url, primaryKey);
});

afterAll(async () => {
  await stack.stop();
});

beforeEach(() => {
  stack.resetRecords();
});

const auditWrites = () => writesSeen(stack.sims.audit);

/** The entry as the Audit API returns it to the key's organisation; null when it answers 404. */
async function upstreamEntry(id: string, key = primaryKey): Promise<AuditEntry | null> {
  const { status, body } = await callSimulator(stack.sims.audit.url, 'GET', `${PATH}${id}/`, { auth: key });
  if (status === 404) return null;
  expect(status).toBe(200);
  return body as AuditEntry;
}

async function seedEntry(
  fields: Record<string, string>,
  key = primaryKey,
  org = primaryOrg,
): Promise<string> {
  const { id } = await writer.audit(org, fields, key);
  stack.resetRecords();
  return id;
}

describe('audit entries', () => {
  it('createAuditEntry posts once; the upstream stores the device password, the response only says it has one', async () => {
    const input = {
      organization: primaryOrg,
      jobId: 'job-1',
      ciId: 'ci-1',
      jobIterationId: 'it-1',
      ipAddress: '192.0.2.10',
      deviceAccount: 'CORP\\netops',
      devicePassword: 'dev-pass-create-7',
      enablePassword: 'enable-pass-create-7',
      connectionProtocol: 'ssh',
      error: 'none',
      taskOwner: 'alice',
      clientIp: '198.51.100.2',
      jobType: 'backup',
      jobName: 'nightly',
      processName: 'collector',
      connectionFor: 'config',
      configType: 'running',
      uofw: 'u1',
    };
    const response = await stack.query(CreateAuditEntryDocument, { input }, asPrimary);
    expect(response.errors).toBeUndefined();
    expect(response.text).not.toContain('dev-pass-create-7');
    expect(response.text).not.toContain('enable-pass-create-7');
    const result = response.data?.r;
    const stored = stack.sims.audit.state.store.all();
    expect(stored).toHaveLength(1);
    const id = stored[0]?.id ?? '';
    expect(result).toEqual({
      __typename: 'CreateAuditEntryPayload',
      auditEntry: {
        id: globalId('AuditEntry', id),
        auditId: id,
        organization: primaryOrg,
        jobId: 'job-1',
        ciId: 'ci-1',
        jobIterationId: 'it-1',
        ipAddress: '192.0.2.10',
        deviceAccount: 'CORP\\netops',
        connectionProtocol: 'ssh',
        error: 'none',
        taskOwner: 'alice',
        clientIp: '198.51.100.2',
        jobType: 'backup',
        jobName: 'nightly',
        processName: 'collector',
        connectionFor: 'config',
        configType: 'running',
        uofw: 'u1',
        agentId: null,
        connectionStatus: null,
        failureMessage: null,
        hasDevicePassword: true,
        hasEnablePassword: true,
      },
    });
    expect(await upstreamEntry(id)).toEqual({
      id,
      creationtime: expect.any(String),
      agent_id: '',
      connection_status: '',
      failure_message: '',
      organization: primaryOrg,
      job_id: 'job-1',
      ci_id: 'ci-1',
      job_iteration_id: 'it-1',
      ipaddress: '192.0.2.10',
      device_account: 'CORP\\netops',
      dpassword: 'dev-pass-create-7',
      denable_password: 'enable-pass-create-7',
      connection_protocol: 'ssh',
      error: 'none',
      task_owner: 'alice',
      client_ip: '198.51.100.2',
      job_type: 'backup',
      job_name: 'nightly',
      process_name: 'collector',
      connection_for: 'config',
      last_update_time: expect.any(String),
      config_type: 'running',
      uofw: 'u1',
    });
    expect(auditWrites()).toEqual([{ method: 'POST', path: PATH, status: 201 }]);
  });

  it('replaceAuditEntry (PUT, global ID) stores the new password and unsets every omitted field', async () => {
    const id = await seedEntry({
      ipaddress: '192.0.2.20',
      device_account: 'old',
      dpassword: 'old-dev-pass',
      denable_password: 'old-enable-pass',
      job_name: 'old-job',
      error: 'timeout',
    });
    const response = await stack.query(
      ReplaceAuditEntryDocument,
      {
        id: globalId('AuditEntry', id),
        input: { organization: primaryOrg, jobName: 'new-job', devicePassword: 'new-dev-pass' },
      },
      asPrimary,
    );
    expect(response.errors).toBeUndefined();
    expect(response.text).not.toContain('new-dev-pass');
    expect(response.data?.r).toMatchObject({
      __typename: 'ReplaceAuditEntryPayload',
      auditEntry: {
        id: globalId('AuditEntry', id),
        auditId: id,
        jobName: 'new-job',
        ipAddress: null,
        deviceAccount: null,
        error: null,
        hasDevicePassword: true,
        hasEnablePassword: false,
      },
    });
    expect(await upstreamEntry(id)).toMatchObject({
      id,
      organization: primaryOrg,
      job_name: 'new-job',
      dpassword: 'new-dev-pass',
      denable_password: '',
      ipaddress: '',
      device_account: '',
      error: '',
    });
    expect(auditWrites()).toEqual([{ method: 'PUT', path: `${PATH}${id}/`, status: 200 }]);
  });

  it('replaceAuditEntry (24-hex id) without a device password clears the stored one', async () => {
    const id = await seedEntry({ dpassword: 'to-be-cleared', job_name: 'keep' });
    const result = await mutate(
      stack,
      ReplaceAuditEntryDocument,
      { id, input: { organization: primaryOrg, jobName: 'keep' } },
      asPrimary,
    );
    expect(member(result, 'ReplaceAuditEntryPayload').auditEntry).toMatchObject({
      auditId: id,
      hasDevicePassword: false,
      hasEnablePassword: false,
    });
    expect(await upstreamEntry(id)).toMatchObject({ dpassword: '', job_name: 'keep' });
  });

  it('deleteAuditEntry deletes once and returns the global ID; the entry is gone upstream', async () => {
    const id = await seedEntry({ job_name: 'doomed' });
    const result = await mutate(
      stack,
      DeleteAuditEntryDocument,
      { id: globalId('AuditEntry', id) },
      asPrimary,
    );
    expect(result).toEqual({ __typename: 'DeleteAuditEntryPayload', deletedId: globalId('AuditEntry', id) });
    expect(await upstreamEntry(id)).toBeNull();
    expect(stack.sims.audit.state.store.has(id)).toBe(false);
    expect(auditWrites()).toEqual([{ method: 'DELETE', path: `${PATH}${id}/`, status: 204 }]);
  });

  it("another organisation's entry is a NotFoundError for replace and delete, and stays as it was", async () => {
    const id = await seedEntry(
      { job_name: 'globex-job', dpassword: 'globex-pass' },
      secondaryKey,
      secondaryOrg,
    );
    const before = await upstreamEntry(id, secondaryKey);
    const replace = await mutate(
      stack,
      ReplaceAuditEntryDocument,
      { id: globalId('AuditEntry', id), input: { organization: primaryOrg, jobName: 'hijack' } },
      asPrimary,
    );
    const remove = await mutate(stack, DeleteAuditEntryDocument, { id }, asPrimary);
    expect([replace.__typename, remove.__typename]).toEqual(['NotFoundError', 'NotFoundError']);
    expect(await upstreamEntry(id, secondaryKey)).toEqual(before);
    expect(auditWrites()).toEqual([
      { method: 'PUT', path: `${PATH}${id}/`, status: 404 },
      { method: 'DELETE', path: `${PATH}${id}/`, status: 404 },
    ]);
  });

  it('an unknown id is a NotFoundError', async () => {
    const missing = 'ffffffffffffffffffffffff';
    const replace = await mutate(
      stack,
      ReplaceAuditEntryDocument,
      { id: missing, input: { organization: primaryOrg } },
      asPrimary,
    );
    const remove = await mutate(
      stack,
      DeleteAuditEntryDocument,
      { id: globalId('AuditEntry', missing) },
      asPrimary,
    );
    expect([replace.__typename, remove.__typename]).toEqual(['NotFoundError', 'NotFoundError']);
  });

  it("an organization other than the key's is a ValidationError at input.organization; nothing is stored", async () => {
    const size = stack.sims.audit.state.store.size;
    const create = await mutate(
      stack,
      CreateAuditEntryDocument,
      { input: { organization: secondaryOrg, jobName: 'wrong-org' } },
      asPrimary,
    );
    expect(issuePaths(create)).toEqual(['input.organization']);
    const id = await seedEntry({ job_name: 'mine' });
    const replace = await mutate(
      stack,
      ReplaceAuditEntryDocument,
      { id, input: { organization: secondaryOrg, jobName: 'moved' } },
      asPrimary,
    );
    expect(issuePaths(replace)).toEqual(['input.organization']);
    expect(stack.sims.audit.state.store.size).toBe(size + 1);
    expect(await upstreamEntry(id)).toMatchObject({ organization: primaryOrg, job_name: 'mine' });
  });

  it('the secondary key writes into its own organisation only', async () => {
    const asSecondary = { 'x-audit-key': secondaryKey };
    const result = await mutate(
      stack,
      CreateAuditEntryDocument,
      { input: { organization: secondaryOrg, jobName: 'globex-own' } },
      asSecondary,
    );
    const auditId = member(result, 'CreateAuditEntryPayload').auditEntry.auditId;
    expect(await upstreamEntry(auditId)).toBeNull();
    expect(await upstreamEntry(auditId, secondaryKey)).toMatchObject({
      organization: secondaryOrg,
      job_name: 'globex-own',
    });
    expect(auditWrites()).toEqual([{ method: 'POST', path: PATH, status: 201 }]);
  });

  it('an ID of another type is a ValidationError at id, and nothing is sent', async () => {
    const result = await mutate(stack, DeleteAuditEntryDocument, { id: globalId('Account', 1) }, asPrimary);
    expect(issuePaths(result)).toEqual(['id']);
    expect(auditWrites()).toEqual([]);
  });
});
