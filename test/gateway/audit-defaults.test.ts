/**
 * `Query.auditEntryDefaults` (issue 12 §6): the Audit API's `options/` for the caller's key, writable fields with
 * their defaults and the sortable fields; a secret default is reported only as set or not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuditDefaults } from '../../src/upstream/audit.js';
import type { ScopedUpstream } from '../../src/upstream/scope.js';
import { type Stack, startStack, upstreamGet } from '../support/stack.js';

/** GraphQL field of each writable, non-secret upstream field (written out here, not read from src/). */
const FIELDS: Record<string, string> = {
  last_update_time: 'lastUpdateTime',
  organization: 'organization',
  job_id: 'jobId',
  ci_id: 'ciId',
  job_iteration_id: 'jobIterationId',
  ipaddress: 'ipAddress',
  device_account: 'deviceAccount',
  connection_protocol: 'connectionProtocol',
  error: 'error',
  task_owner: 'taskOwner',
  client_ip: 'clientIp',
  job_type: 'jobType',
  job_name: 'jobName',
  process_name: 'processName',
  connection_for: 'connectionFor',
  config_type: 'configType',
  uofw: 'uofw',
};
const SORT_NAMES: Record<string, string> = {
  creationtime: 'CREATED_AT',
  last_update_time: 'LAST_UPDATE_TIME',
  id: 'AUDIT_ID',
  ipaddress: 'IP_ADDRESS',
};
const sortName = (field: string) => SORT_NAMES[field] ?? field.toUpperCase();

describe('auditEntryDefaults', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  it('equals the simulator’s options for each organisation’s key', async () => {
    const { primaryKey, secondaryKey } = stack.sims.credentials.audit;
    for (const key of [primaryKey, secondaryKey]) {
      const options = await upstreamGet<Record<string, string | string[]>>(
        stack.sims.audit.url,
        '/ux/nccm/jobs-account-audit/options/',
        key,
      );
      const selection = Object.values(FIELDS).join(' ');
      const res = await stack.query<{ auditEntryDefaults: Record<string, unknown> }>(
        `{ auditEntryDefaults { ${selection} hasDevicePassword hasEnablePassword sortFields } }`,
        undefined,
        { 'x-audit-key': key },
      );
      expect(res.errors).toBeUndefined();
      const expected: Record<string, unknown> = {};
      for (const [upstream, name] of Object.entries(FIELDS)) {
        const value = options[upstream];
        expected[name] = typeof value === 'string' && value !== '' ? value : null;
      }
      expected.hasDevicePassword = options.dpassword !== '';
      expected.hasEnablePassword = options.denable_password !== '';
      // The passwords are sortable upstream but not through pamgraph: an order by a secret reveals it one
      // comparison at a time.
      expected.sortFields = (options.sort_fields as string[])
        .filter((f) => f !== 'dpassword' && f !== 'denable_password')
        .map(sortName);
      expect(options.sort_fields).toContain('dpassword');
      expect(res.data?.auditEntryDefaults).toEqual(expected);
    }
  });

  it('has no field for a secret default, and reads it as set or not only', async () => {
    const introspection = await stack.query<{ __type: { fields: Array<{ name: string }> } }>(
      '{ __type(name: "AuditEntryDefaults") { fields { name } } }',
    );
    const names = introspection.data?.__type.fields.map((f) => f.name) ?? [];
    expect(names).toContain('hasDevicePassword');
    expect(names.filter((n) => /password/i.test(n) && !n.startsWith('has'))).toEqual([]);

    const upstream = {
      get: async () => ({
        dpassword: 'canary-default-device-password',
        denable_password: '',
        job_name: 'Nightly backup',
        sort_fields: ['job_name', 'not_a_field', 'creationtime'],
      }),
    } as unknown as ScopedUpstream;
    const defaults = await getAuditDefaults(upstream);
    expect(JSON.stringify(defaults)).not.toContain('canary');
    expect(defaults.hasDevicePassword).toBe(true);
    expect(defaults.hasEnablePassword).toBe(false);
    expect(defaults.values.jobName).toBe('Nightly backup');
    expect(defaults.values.organization).toBeNull();
    expect(defaults.sortFields).toEqual(['job_name', 'creationtime']);
  });
});

describe('auditEntryDefaults under the view rules', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ settings: { views: true, viewMaxAgeMs: 400 } });
  });
  afterAll(() => stack.stop());

  const optionsRequests = () =>
    stack.sims.audit.requests.list().filter((r) => r.path.endsWith('/options/')).length;
  const ask = (headers?: Record<string, string>) =>
    stack.query<{ auditEntryDefaults: { sortFields: string[] } | null }>(
      '{ auditEntryDefaults { jobName sortFields } }',
      undefined,
      headers,
    );

  it('is shared by the requests of one key within the max age, bypassed by no-cache, and refused once revoked', async () => {
    stack.resetRecords();
    expect((await ask()).errors).toBeUndefined();
    expect((await ask()).errors).toBeUndefined();
    expect(optionsRequests()).toBe(1);
    expect((await ask({ 'cache-control': 'no-cache' })).errors).toBeUndefined();
    expect(optionsRequests()).toBe(2);

    // Another key of the same organisation does not get the first key's copy.
    const other = 'test-second-acme-key-for-defaults';
    const { primaryKey } = stack.sims.credentials.audit;
    stack.sims.audit.state.keys.set(other, stack.sims.audit.state.keys.get(primaryKey) ?? '');
    expect((await ask({ 'x-audit-key': other })).errors).toBeUndefined();
    expect(optionsRequests()).toBe(3);

    // Revoked: refused as soon as the copy is older than the max age.
    stack.sims.audit.state.keys.delete(other);
    await new Promise((resolve) => setTimeout(resolve, 450));
    const refused = await ask({ 'x-audit-key': other });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.data?.auditEntryDefaults).toBeNull();
  });
});
