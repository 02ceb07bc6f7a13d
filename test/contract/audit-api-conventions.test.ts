/**
 * Contract tests of the Audit API simulator against docs/upstreams.md §2.1 (conventions), through real HTTP:
 * the key in Authorization, organisation scoping, paths and ids, malformed bodies, 405s and the order of checks.
 */
import { describe, expect, it } from 'vitest';
import {
  auditSimulator,
  BASE,
  call,
  create,
  KEY,
  listAll,
  MISSING_ID,
  NOT_FOUND,
  OBJECT_ID,
  ORG,
  OTHER_KEY,
  TIMESTAMP,
  UNAUTHORIZED,
} from '../support/audit-api-contract.js';

auditSimulator();

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
