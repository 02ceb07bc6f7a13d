/**
 * Contract tests of the Audit API simulator against docs/upstreams.md §2, through real HTTP.
 *
 * Starts the simulator empty through the facade, so every entry a test reasons about is one it created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, type RunningSim, startAuditSimulator } from '../../src/simulator/index.js';
import { type SimulatorReply, simulatorClient } from '../support/seed.js';

const BASE = '/ux/nccm/jobs-account-audit/';
const { primaryKey: KEY, primaryOrganization: ORG } = DEMO_CREDENTIALS.audit;
const { secondaryKey: OTHER_KEY, secondaryOrganization: OTHER_ORG } = DEMO_CREDENTIALS.audit;

const FIELDS = [
  'id',
  'creationtime',
  'agent_id',
  'connection_status',
  'failure_message',
  'organization',
  'job_id',
  'ci_id',
  'job_iteration_id',
  'ipaddress',
  'device_account',
  'dpassword',
  'denable_password',
  'connection_protocol',
  'error',
  'task_owner',
  'client_ip',
  'job_type',
  'job_name',
  'process_name',
  'connection_for',
  'last_update_time',
  'config_type',
  'uofw',
];
const OBJECT_ID = /^[0-9a-f]{24}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NOT_FOUND = { error: 'Not found.' };
const UNAUTHORIZED = { error: 'Invalid API key.' };
const MISSING_ID = 'abcdefabcdefabcdefabcdef';

type Entry = Record<string, string> & { id: string; creationtime: string; last_update_time: string };
let sim: RunningSim;

beforeAll(async () => {
  sim = await startAuditSimulator({ empty: true }, []);
});

afterAll(async () => {
  await sim.stop();
});

/** A direct call with the primary key unless `auth` says otherwise (null: no Authorization header). */
const call = simulatorClient(() => sim.url, KEY);
type Reply = SimulatorReply;

async function create(fields: Record<string, unknown> = {}, auth: string = KEY): Promise<Entry> {
  const organization = auth === OTHER_KEY ? OTHER_ORG : ORG;
  const reply = await call('POST', BASE, { auth, body: { organization, ...fields } });
  expect(reply.status).toBe(201);
  return reply.body as Entry;
}

/** Every entry the key can see, through the list call. */
async function listAll(auth: string = KEY, extra = ''): Promise<Entry[]> {
  const out: Entry[] = [];
  for (let page = 1; ; page++) {
    const reply = await call('GET', `${BASE}?items_per_page=500&page=${page}${extra}`, { auth });
    expect(reply.status).toBe(200);
    const items = reply.body as Entry[];
    if (items.length === 0) return out;
    out.push(...items);
  }
}

function fieldErrors(reply: Reply): string[] {
  expect(reply.status).toBe(400);
  const body = reply.body as { error: unknown; fields: Record<string, unknown> };
  expect(typeof body.error).toBe('string');
  return Object.keys(body.fields).sort();
}

describe('§2.1 Conventions', () => {
  it('§2.1 accepts the raw key in Authorization', async () => {
    expect((await call('GET', `${BASE}options/`, { auth: KEY })).status).toBe(200);
  });

  it('§2.1 accepts "ApiKey <key>" in Authorization', async () => {
    expect((await call('GET', `${BASE}options/`, { auth: `ApiKey ${KEY}` })).status).toBe(200);
  });

  it.each([
    ['no header', null],
    ['an unknown key', 'audit-demo-key-nobody'],
    ['an unknown key with the ApiKey prefix', 'ApiKey audit-demo-key-nobody'],
    ['another scheme', `Bearer ${KEY}`],
    ['an empty header', ''],
  ])('§2.1 answers 401 {"error": "Invalid API key."} for %s', async (_name, auth) => {
    for (const [method, path] of [
      ['GET', `${BASE}?items_per_page=1&page=1`],
      ['POST', BASE],
      ['GET', `${BASE}${MISSING_ID}/`],
      ['GET', `${BASE}options/`],
    ] as const) {
      const reply = await call(method, path, {
        auth,
        body: method === 'POST' ? { organization: ORG } : undefined,
      });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(UNAUTHORIZED);
    }
  });

  it("§2.1 another organisation's entry answers 404 to GET, PUT and DELETE, and is absent from lists", async () => {
    const foreign = await create({ job_name: 'foreign' }, OTHER_KEY);
    const path = `${BASE}${foreign.id}/`;
    expect(await call('GET', path)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await call('PUT', path, { body: { organization: ORG } })).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
    expect(await call('DELETE', path)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await listAll(KEY)).map((e) => e.id)).not.toContain(foreign.id);
    expect((await listAll(OTHER_KEY)).map((e) => e.id)).toContain(foreign.id);
    expect(await call('GET', path, { auth: OTHER_KEY })).toMatchObject({ status: 200, body: foreign });
  });

  it.each([
    ['the list path', BASE.slice(0, -1)],
    ['the options path', `${BASE}options`],
    ['an item path', `${BASE}${MISSING_ID}`],
  ])('§2.1 %s without its trailing slash is 404', async (_name, path) => {
    const entry = await create();
    const target = path.replace(MISSING_ID, entry.id);
    expect(await call('GET', `${target}?items_per_page=1&page=1`)).toMatchObject({
      status: 404,
      body: NOT_FOUND,
    });
  });

  it.each([
    ['upper-case hex', 'ABCDEFABCDEFABCDEFABCDEF'],
    ['23 characters', 'abcdefabcdefabcdefabcde'],
    ['25 characters', 'abcdefabcdefabcdefabcdefa'],
    ['non-hex characters', 'abcdefabcdefabcdefabcdeg'],
    ['an integer', '42'],
  ])('§2.1 an id that is not 24 lowercase hex characters (%s) is 404', async (_name, id) => {
    expect(await call('GET', `${BASE}${id}/`)).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await call('DELETE', `${BASE}${id}/`)).toMatchObject({ status: 404, body: NOT_FOUND });
  });

  it('§2.1 ids are 24 lowercase hex characters and unique', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => create().then((e) => e.id)));
    for (const id of ids) expect(id).toMatch(OBJECT_ID);
    expect(new Set(ids).size).toBe(20);
  });

  it('§2.1 timestamps are ISO 8601 UTC with milliseconds and Z', async () => {
    const entry = await create();
    expect(entry.creationtime).toMatch(TIMESTAMP);
    expect(entry.last_update_time).toMatch(TIMESTAMP);
  });

  it.each([
    ['malformed JSON', '{"organization": '],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['a JSON string', '"acme"'],
    ['JSON null', 'null'],
    ['a JSON number', '7'],
  ])('§2.1 %s as a POST/PUT body is 400 with an error message', async (_name, raw) => {
    const entry = await create();
    for (const [method, path] of [
      ['POST', BASE],
      ['PUT', `${BASE}${entry.id}/`],
    ] as const) {
      const reply = await call(method, path, { body: raw });
      expect(reply.status).toBe(400);
      expect(Object.keys(reply.body as object)).toEqual(['error']);
      expect(typeof (reply.body as { error: unknown }).error).toBe('string');
    }
  });

  it.each([
    ['PATCH', 'item', 'GET, PUT, DELETE'],
    ['POST', 'item', 'GET, PUT, DELETE'],
    ['DELETE', 'list', 'GET, POST'],
    ['PUT', 'list', 'GET, POST'],
    ['PATCH', 'list', 'GET, POST'],
    ['POST', 'options', 'GET'],
    ['PUT', 'options', 'GET'],
    ['DELETE', 'options', 'GET'],
  ])('§2.1 %s on the %s path is 405 with the error shape', async (method, kind, allow) => {
    const entry = await create();
    const path = kind === 'item' ? `${BASE}${entry.id}/` : kind === 'list' ? BASE : `${BASE}options/`;
    const reply = await call(method, path, { body: { organization: ORG } });
    expect(reply.status).toBe(405);
    expect(reply.body).toEqual({ error: `Method "${method}" not allowed.` });
    expect(reply.headers.get('allow')).toBe(allow);
  });

  it('§2.1 order of checks: unknown path 404, then 401, then 405, then 400, then unknown id 404', async () => {
    expect((await call('GET', `${BASE}nope/`, { auth: null })).status).toBe(404);
    expect((await call('GET', BASE.slice(0, -1), { auth: null })).status).toBe(404);
    expect((await call('PATCH', `${BASE}${MISSING_ID}/`, { auth: 'wrong' })).status).toBe(401);
    expect((await call('PATCH', `${BASE}${MISSING_ID}/`, { body: '{bad' })).status).toBe(405);
    expect((await call('PUT', `${BASE}${MISSING_ID}/`, { body: '{bad' })).status).toBe(400);
    expect((await call('PUT', `${BASE}${MISSING_ID}/`, { body: {} })).status).toBe(400);
    expect((await call('PUT', `${BASE}${MISSING_ID}/`, { body: { organization: ORG } })).status).toBe(404);
    expect((await call('GET', `${BASE}?page=0`, { auth: null })).status).toBe(401);
  });
});

/** Independent reading of the list order: by the field, ties by id, both in the same direction. */
function ordered(entries: Entry[], field: string, descending: boolean): string[] {
  const sign = descending ? -1 : 1;
  const key = (e: Entry) => e[field] ?? '';
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...entries].sort((a, b) => sign * (cmp(key(a), key(b)) || cmp(a.id, b.id))).map((e) => e.id);
}

describe('§2.2 Endpoints: list', () => {
  it('§2.2 GET list answers 200 with a bare array of AuditEntry', async () => {
    const entry = await create({ job_name: 'bare-array' });
    const reply = await call('GET', `${BASE}?items_per_page=500&page=1`);
    expect(reply.status).toBe(200);
    expect(Array.isArray(reply.body)).toBe(true);
    const found = (reply.body as Entry[]).find((e) => e.id === entry.id);
    expect(found).toEqual(entry);
  });

  it.each([
    ['items_per_page missing', 'page=1', ['items_per_page']],
    ['page missing', 'items_per_page=10', ['page']],
    ['both missing', '', ['items_per_page', 'page']],
    ['items_per_page 0', 'items_per_page=0&page=1', ['items_per_page']],
    ['items_per_page 501', 'items_per_page=501&page=1', ['items_per_page']],
    ['items_per_page negative', 'items_per_page=-5&page=1', ['items_per_page']],
    ['items_per_page not an integer', 'items_per_page=2.5&page=1', ['items_per_page']],
    ['items_per_page empty', 'items_per_page=&page=1', ['items_per_page']],
    ['page 0', 'items_per_page=10&page=0', ['page']],
    ['page negative', 'items_per_page=10&page=-1', ['page']],
    ['page not a number', 'items_per_page=10&page=two', ['page']],
    ['page fractional', 'items_per_page=10&page=1.0', ['page']],
    ['unknown sort field', 'items_per_page=10&page=1&sort=colour', ['sort']],
    ['empty sort field', 'items_per_page=10&page=1&sort=', ['sort']],
    ['reverse neither true nor false', 'items_per_page=10&page=1&reverse=yes', ['reverse']],
    ['reverse empty', 'items_per_page=10&page=1&reverse=', ['reverse']],
  ])('§2.2 list with %s is 400 naming the parameter', async (_name, query, names) => {
    expect(fieldErrors(await call('GET', `${BASE}?${query}`))).toEqual(names);
  });

  it('§2.2 list without a key is 401', async () => {
    expect(await call('GET', `${BASE}?items_per_page=1&page=1`, { auth: null })).toMatchObject({
      status: 401,
      body: UNAUTHORIZED,
    });
  });

  it('§2.2 items_per_page accepts its bounds 1 and 500', async () => {
    await create();
    await create();
    const one = await call('GET', `${BASE}?items_per_page=1&page=1`);
    expect((one.body as Entry[]).length).toBe(1);
    const many = await call('GET', `${BASE}?items_per_page=500&page=1`);
    expect(many.status).toBe(200);
  });

  it('§2.2 a page past the end is 200 []', async () => {
    const total = (await listAll()).length;
    const reply = await call('GET', `${BASE}?items_per_page=500&page=${Math.ceil(total / 500) + 1}`);
    expect(reply).toMatchObject({ status: 200, body: [] });
    expect(await call('GET', `${BASE}?items_per_page=10&page=99999999999`)).toMatchObject({
      status: 200,
      body: [],
    });
  });

  it('§2.2 unknown query parameters are ignored', async () => {
    const plain = await call('GET', `${BASE}?items_per_page=5&page=1`);
    const extra = await call('GET', `${BASE}?items_per_page=5&page=1&filter=x&organization=${OTHER_ORG}`);
    expect(extra.body).toEqual(plain.body);
  });

  it('§2.2 default order is creationtime ascending, ties by id; pages concatenate to the whole list', async () => {
    for (let i = 0; i < 7; i++) await create({ job_name: `order-${i}` });
    const all = await listAll();
    expect(all.map((e) => e.id)).toEqual(ordered(all, 'creationtime', false));
    const paged: Entry[] = [];
    for (let page = 1; page <= Math.ceil(all.length / 3); page++) {
      paged.push(...((await call('GET', `${BASE}?items_per_page=3&page=${page}`)).body as Entry[]));
    }
    expect(paged).toEqual(all);
  });

  it('§2.2 sort by a field both directions, ties broken by id in the same direction', async () => {
    const made = [];
    for (const name of ['sort-b', 'sort-a', 'sort-c', 'sort-a', 'sort-b', 'sort-a']) {
      made.push(await create({ job_name: name }));
    }
    const mine = new Set(made.map((e) => e.id));
    const asc = await listAll(KEY, '&sort=job_name&reverse=false');
    const desc = await listAll(KEY, '&sort=job_name&reverse=true');
    expect(asc.map((e) => e.id)).toEqual(ordered(asc, 'job_name', false));
    expect(desc.map((e) => e.id)).toEqual(ordered(asc, 'job_name', true));
    expect(desc.map((e) => e.id)).toEqual(asc.map((e) => e.id).reverse());
    const ids = (list: Entry[]) => list.filter((e) => mine.has(e.id)).map((e) => e.job_name);
    expect(ids(asc)).toEqual(['sort-a', 'sort-a', 'sort-a', 'sort-b', 'sort-b', 'sort-c']);
    const tied = made.filter((e) => e.job_name === 'sort-a').map((e) => e.id);
    const ascTied = asc.filter((e) => tied.includes(e.id)).map((e) => e.id);
    expect(ascTied).toEqual([...tied].sort());
    expect(desc.filter((e) => tied.includes(e.id)).map((e) => e.id)).toEqual([...tied].sort().reverse());
  });

  it('§2.2 reverse=true sorts creationtime descending; absent and false sort ascending', async () => {
    const asc = await listAll(KEY);
    expect((await listAll(KEY, '&reverse=false')).map((e) => e.id)).toEqual(asc.map((e) => e.id));
    expect((await listAll(KEY, '&reverse=true')).map((e) => e.id)).toEqual(asc.map((e) => e.id).reverse());
  });

  it('§2.2 every AuditEntry field is a valid sort key', async () => {
    for (const field of FIELDS) {
      const reply = await call('GET', `${BASE}?items_per_page=500&page=1&sort=${field}`);
      expect(reply.status).toBe(200);
    }
  });

  it('§2.2 lists reflect writes at once (create, replace, delete)', async () => {
    const entry = await create({ job_name: 'zzzz-last' });
    const last = async () =>
      (await call('GET', `${BASE}?items_per_page=1&page=1&sort=job_name&reverse=true`)).body;
    expect(await last()).toEqual([entry]);
    const put = await call('PUT', `${BASE}${entry.id}/`, {
      body: { organization: ORG, job_name: 'aaaa-first' },
    });
    expect(await last()).not.toEqual([put.body]);
    const sorted = await listAll(KEY, '&sort=job_name');
    expect(sorted.map((e) => e.id)).toEqual(ordered(sorted, 'job_name', false));
    expect(sorted.find((e) => e.id === entry.id)).toEqual(put.body);
    await call('DELETE', `${BASE}${entry.id}/`);
    expect((await listAll(KEY, '&sort=job_name')).map((e) => e.id)).not.toContain(entry.id);
  });
});

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
