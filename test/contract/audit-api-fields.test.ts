/**
 * Contract tests of the Audit API simulator against docs/upstreams.md §2.3 (AuditEntry field rules), through
 * real HTTP: lengths in code points, types, the organisation, last_update_time, defaults and clear passwords.
 */
import { describe, expect, it } from 'vitest';
import {
  auditSimulator,
  BASE,
  call,
  create,
  type Entry,
  fieldErrors,
  listAll,
  ORG,
  OTHER_ORG,
} from '../support/audit-api-contract.js';

auditSimulator();

const LIMITS: Array<[string, number]> = [
  ['ipaddress', 225],
  ['device_account', 225],
  ['dpassword', 225],
  ['denable_password', 225],
  ['connection_protocol', 25],
  ['error', 2000],
  ['task_owner', 225],
  ['client_ip', 225],
  ['job_type', 225],
  ['job_name', 225],
  ['process_name', 225],
  ['connection_for', 225],
  ['config_type', 225],
  ['uofw', 225],
];
const OPTIONAL = [...LIMITS.map(([field]) => field), 'job_id', 'ci_id', 'job_iteration_id'];

describe('§2.3 AuditEntry field rules', () => {
  it.each(LIMITS)('§2.3 %s accepts %i characters and rejects one more', async (field, max) => {
    const ok = await call('POST', BASE, { body: { organization: ORG, [field]: 'x'.repeat(max) } });
    expect(ok.status).toBe(201);
    expect((ok.body as Entry)[field]).toBe('x'.repeat(max));
    expect(
      fieldErrors(await call('POST', BASE, { body: { organization: ORG, [field]: 'x'.repeat(max + 1) } })),
    ).toEqual([field]);
    const id = (ok.body as Entry).id;
    const put = await call('PUT', `${BASE}${id}/`, {
      body: { organization: ORG, [field]: 'y'.repeat(max + 1) },
    });
    expect(fieldErrors(put)).toEqual([field]);
  });

  it.each(['job_id', 'ci_id', 'job_iteration_id'])('§2.3 %s has no length limit (choice)', async (field) => {
    const ok = await call('POST', BASE, { body: { organization: ORG, [field]: 'z'.repeat(10_000) } });
    expect(ok.status).toBe(201);
    expect((ok.body as Entry)[field]).toHaveLength(10_000);
  });

  it('§2.3 lengths count characters (code points), not UTF-16 units', async () => {
    const ok = await call('POST', BASE, {
      body: { organization: ORG, connection_protocol: '😀'.repeat(25) },
    });
    expect(ok.status).toBe(201);
    const over = await call('POST', BASE, {
      body: { organization: ORG, connection_protocol: '😀'.repeat(26) },
    });
    expect(fieldErrors(over)).toEqual(['connection_protocol']);
  });

  it.each([...OPTIONAL, 'last_update_time'])('§2.3 writing null into %s is 400', async (field) => {
    expect(fieldErrors(await call('POST', BASE, { body: { organization: ORG, [field]: null } }))).toEqual([
      field,
    ]);
  });

  it.each([
    ['a number', 42],
    ['a boolean', true],
    ['an object', { a: 1 }],
    ['an array', ['x']],
  ])('§2.3 %s in a string field is 400', async (_name, value) => {
    for (const field of [...OPTIONAL, 'organization', 'last_update_time']) {
      const body = { organization: ORG, [field]: value };
      expect(fieldErrors(await call('POST', BASE, { body }))).toEqual([field]);
    }
  });

  it.each([
    ['missing', {}],
    ['null', { organization: null }],
    ['another organisation', { organization: OTHER_ORG }],
    ['an unknown organisation', { organization: 'initech' }],
    ['empty', { organization: '' }],
    ['longer than 25 characters', { organization: 'o'.repeat(26) }],
    ['differently cased', { organization: ORG.toUpperCase() }],
  ])('§2.3 organization %s is 400', async (_name, body) => {
    expect(fieldErrors(await call('POST', BASE, { body }))).toEqual(['organization']);
  });

  it('§2.3 every field problem is reported at once', async () => {
    const body = { ipaddress: 1, error: 'e'.repeat(2001), last_update_time: 'soon' };
    expect(fieldErrors(await call('POST', BASE, { body }))).toEqual([
      'error',
      'ipaddress',
      'last_update_time',
      'organization',
    ]);
  });

  it.each([
    ['2025-06-07T14:54:24.264Z', '2025-06-07T14:54:24.264Z'],
    ['2025-06-07T14:54:24Z', '2025-06-07T14:54:24.000Z'],
    ['2025-06-07T14:54Z', '2025-06-07T14:54:00.000Z'],
    ['2025-06-07T16:54:24.264+02:00', '2025-06-07T14:54:24.264Z'],
    ['2025-06-07T09:24:24.5-0530', '2025-06-07T14:54:24.500Z'],
    ['2025-06-07T14:54:24.264999Z', '2025-06-07T14:54:24.264Z'],
    ['2025-06-07T14:54:24.264', '2025-06-07T14:54:24.264Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('§2.3 last_update_time %s is stored as %s', async (given, stored) => {
    const entry = await create({ last_update_time: given });
    expect(entry.last_update_time).toBe(stored);
  });

  it.each([
    'yesterday',
    '',
    '2025-06-07',
    '2025-02-29T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-06-07T24:00:00Z',
    '2025-06-07T14:54:24+25:00',
    '1749307664264',
  ])('§2.3 last_update_time %j is not an ISO 8601 date-time: 400', async (given) => {
    expect(
      fieldErrors(await call('POST', BASE, { body: { organization: ORG, last_update_time: given } })),
    ).toEqual(['last_update_time']);
  });

  it('§2.3 optional fields never set read back as "" on POST, GET and list', async () => {
    const entry = await create();
    for (const field of OPTIONAL) expect(entry[field]).toBe('');
    const listed = (await listAll()).find((e) => e.id === entry.id);
    expect(listed).toEqual(entry);
  });

  it('§2.3 dpassword and denable_password are returned in clear text', async () => {
    const entry = await create({ dpassword: 's3cret!', denable_password: 'en4ble' });
    expect(entry).toMatchObject({ dpassword: 's3cret!', denable_password: 'en4ble' });
    const got = (await call('GET', `${BASE}${entry.id}/`)).body as Entry;
    expect(got).toMatchObject({ dpassword: 's3cret!', denable_password: 'en4ble' });
  });
});
