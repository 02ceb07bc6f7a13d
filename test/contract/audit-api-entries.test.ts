/**
 * Contract tests of the Audit API simulator against docs/upstreams.md §2.2 (one entry), through real HTTP:
 * create, read, replace, delete and options, with their 400, 401 and 404 answers.
 */
import { describe, expect, it } from 'vitest';
import {
  auditSimulator,
  BASE,
  call,
  create,
  type Entry,
  FIELDS,
  fieldErrors,
  MISSING_ID,
  NOT_FOUND,
  OBJECT_ID,
  ORG,
  OTHER_ORG,
  UNAUTHORIZED,
} from '../support/audit-api-contract.js';

auditSimulator();

const READ_ONLY_DEFAULTS = { agent_id: '', connection_status: '', failure_message: '' };

describe('§2.2 Endpoints: create, read, replace, delete, options', () => {
  it('§2.2 POST answers 201 with the entry: id, creationtime, read-only defaults, last_update_time now', async () => {
    const before = Date.now();
    const reply = await call('POST', BASE, {
      body: { organization: ORG, ipaddress: '10.0.0.1', dpassword: 'pw' },
    });
    expect(reply.status).toBe(201);
    const entry = reply.body as Entry;
    expect(Object.keys(entry)).toEqual(FIELDS);
    expect(entry).toMatchObject({
      organization: ORG,
      ipaddress: '10.0.0.1',
      dpassword: 'pw',
      ...READ_ONLY_DEFAULTS,
    });
    expect(entry.id).toMatch(OBJECT_ID);
    const created = Date.parse(entry.creationtime);
    expect(created).toBeGreaterThanOrEqual(before - 5);
    expect(created).toBeLessThanOrEqual(Date.now() + 5);
    expect(entry.last_update_time).toBe(entry.creationtime);
  });

  it('§2.2 POST ignores read-only and unknown fields in the body', async () => {
    const entry = await create({
      id: 'ffffffffffffffffffffffff',
      creationtime: '2020-01-01T00:00:00.000Z',
      agent_id: 'agent-7',
      connection_status: 'success',
      failure_message: 'nope',
      colour: 'blue',
    });
    expect(entry.id).not.toBe('ffffffffffffffffffffffff');
    expect(entry.creationtime).not.toBe('2020-01-01T00:00:00.000Z');
    expect(entry).toMatchObject(READ_ONLY_DEFAULTS);
    expect(Object.keys(entry)).toEqual(FIELDS);
  });

  it('§2.2 POST with an invalid body is 400; without a key 401', async () => {
    expect(fieldErrors(await call('POST', BASE, { body: {} }))).toEqual(['organization']);
    expect(await call('POST', BASE, { auth: null, body: { organization: ORG } })).toMatchObject({
      status: 401,
      body: UNAUTHORIZED,
    });
  });

  it('§2.2 GET one answers 200 with the entry; 401 without a key; 404 for an unknown id', async () => {
    const entry = await create({ job_type: 'Config Backup' });
    expect(await call('GET', `${BASE}${entry.id}/`)).toMatchObject({ status: 200, body: entry });
    expect(await call('GET', `${BASE}${entry.id}/`, { auth: null })).toMatchObject({
      status: 401,
      body: UNAUTHORIZED,
    });
    expect(await call('GET', `${BASE}${MISSING_ID}/`)).toMatchObject({ status: 404, body: NOT_FOUND });
  });

  it('§2.2 PUT answers 200 and replaces the writable fields whole; read-only fields keep their values', async () => {
    const entry = await create({ ipaddress: '10.0.0.9', job_name: 'old', uofw: 'u1' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reply = await call('PUT', `${BASE}${entry.id}/`, {
      body: { organization: ORG, job_name: 'new', id: MISSING_ID, creationtime: '2020-01-01T00:00:00Z' },
    });
    expect(reply.status).toBe(200);
    const put = reply.body as Entry;
    expect(Object.keys(put)).toEqual(FIELDS);
    expect(put).toMatchObject({
      id: entry.id,
      creationtime: entry.creationtime,
      job_name: 'new',
      ipaddress: '',
      uofw: '',
    });
    expect(Date.parse(put.last_update_time)).toBeGreaterThan(Date.parse(entry.last_update_time));
    expect(await call('GET', `${BASE}${entry.id}/`)).toMatchObject({ status: 200, body: put });
  });

  it('§2.2 PUT keeps a given last_update_time', async () => {
    const entry = await create();
    const body = { organization: ORG, last_update_time: '2025-06-07T14:54:24.264Z' };
    const reply = await call('PUT', `${BASE}${entry.id}/`, { body });
    expect((reply.body as Entry).last_update_time).toBe('2025-06-07T14:54:24.264Z');
  });

  it('§2.2 PUT errors: 400 invalid body, 401 no key, 404 unknown id', async () => {
    const entry = await create();
    const path = `${BASE}${entry.id}/`;
    expect(fieldErrors(await call('PUT', path, { body: { organization: OTHER_ORG } }))).toEqual([
      'organization',
    ]);
    expect(await call('PUT', path, { auth: null, body: { organization: ORG } })).toMatchObject({
      status: 401,
    });
    expect(await call('PUT', `${BASE}${MISSING_ID}/`, { body: { organization: ORG } })).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
  });

  it('§2.2 DELETE answers 204 with no body; the entry is gone; 401 without a key; 404 when unknown', async () => {
    const entry = await create();
    const path = `${BASE}${entry.id}/`;
    expect(await call('DELETE', path, { auth: null })).toMatchObject({ status: 401, body: UNAUTHORIZED });
    const reply = await call('DELETE', path);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(await call('GET', path)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await call('DELETE', path)).toMatchObject({ status: 404, body: NOT_FOUND });
  });

  it('§2.2 options answers 200: every AuditEntry key with its default, plus sort_fields', async () => {
    const reply = await call('GET', `${BASE}options/`);
    expect(reply.status).toBe(200);
    const expected: Record<string, unknown> = {};
    for (const field of FIELDS) expected[field] = '';
    expected.sort_fields = FIELDS;
    expect(reply.body).toEqual(expected);
    expect(Object.keys(reply.body as object)).toEqual([...FIELDS, 'sort_fields']);
  });

  it('§2.2 options without a key is 401, and options/ is never read as an id', async () => {
    expect(await call('GET', `${BASE}options/`, { auth: null })).toMatchObject({
      status: 401,
      body: UNAUTHORIZED,
    });
    expect((await call('PUT', `${BASE}options/`, { body: { organization: ORG } })).status).toBe(405);
  });
});
