/**
 * Contract tests of the Audit API simulator against docs/upstreams.md §2.2 (the list call), through real HTTP:
 * the bare array, the paging and sort parameters and their 400s, the order and its ties, and fresh results.
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
  KEY,
  listAll,
  ORG,
  OTHER_ORG,
  ordered,
  UNAUTHORIZED,
} from '../support/audit-api-contract.js';

auditSimulator();

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
