/**
 * CSRF prevention and CORS at the HTTP layer, request by request (the real-browser attack is in
 * test/browser). In fallback mode a refused request must reach no upstream at all: the simulators' request
 * records prove it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

const ALLOWED = 'https://console.example.test';
const QUERY = '{ accounts(first: 2) { edges { node { name } } } }';
const URL_ = 'http://pamgraph.test/graphql';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ settings: { corsOrigins: [ALLOWED, 'http://127.0.0.1:5173'] } });
});
afterAll(() => stack.stop());
beforeEach(() => stack.resetRecords());

function send(init: RequestInit, url = URL_) {
  return stack.gateway.yoga.fetch(url, init);
}

function upstreamRequests(): number {
  return stack.sims.pam.requests.count + stack.sims.audit.requests.count;
}

const getUrl = `${URL_}?query=${encodeURIComponent(QUERY)}`;
const mutation = 'mutation { deleteAccount(id: "1") { __typename } }';

describe('CSRF prevention', () => {
  const refused: Array<[string, RequestInit, string?]> = [
    ['a GET', { method: 'GET' }, getUrl],
    [
      'a GET claiming a JSON content type',
      { method: 'GET', headers: { 'content-type': 'application/json' } },
      getUrl,
    ],
    [
      'a urlencoded form POST',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `query=${encodeURIComponent(mutation)}`,
      },
    ],
    [
      'a multipart form POST',
      (() => {
        const form = new FormData();
        form.set('query', mutation);
        return { method: 'POST', body: form };
      })(),
    ],
    [
      'a text/plain POST with a JSON body',
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ query: mutation }),
      },
    ],
    [
      'a POST without a content type',
      { method: 'POST', body: new Blob([JSON.stringify({ query: mutation })]) },
    ],
  ];

  for (const [what, init, url] of refused) {
    it(`refuses ${what} with 403 CSRF_PREVENTED, before anything reaches an upstream`, async () => {
      const res = await send(init, url);
      const body = (await res.json()) as {
        data?: unknown;
        errors: Array<{ message: string; extensions: { code: string } }>;
      };
      expect(res.status).toBe(403);
      expect(body.data).toBeUndefined();
      expect(body.errors.map((e) => e.extensions.code)).toEqual(['CSRF_PREVENTED']);
      expect(body.errors[0]?.message).toContain('graphql-preflight');
      expect(upstreamRequests()).toBe(0);
    });
  }

  it('lets a GET through with graphql-preflight', async () => {
    const res = await send({ method: 'GET', headers: { 'graphql-preflight': '1' } }, getUrl);
    const body = (await res.json()) as { data: { accounts: { edges: unknown[] } } };
    expect(res.status).toBe(200);
    expect(body.data.accounts.edges).toHaveLength(2);
  });

  it('accepts a JSON POST as it is (curl, codegen clients, routers)', async () => {
    const res = await send({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { data: { accounts: { edges: unknown[] } } }).data.accounts.edges,
    ).toHaveLength(2);
  });

  it('still serves the GraphiQL page to a browser navigation, and GraphiQL sends graphql-preflight', async () => {
    const res = await send({ method: 'GET', headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toMatch(/"additionalHeaders":\{"graphql-preflight":"1"\}/);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    send({
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, x-pam-token',
      },
    });
  const allowHeaders = (res: Response) =>
    [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));

  for (const origin of [
    'https://evil.example.test',
    'null',
    'https://console.example.test.evil.test',
    'http://console.example.test',
  ]) {
    it(`gives the unlisted origin ${origin} no access-control header at all, preflight or request`, async () => {
      expect(allowHeaders(await preflight(origin))).toEqual([]);
      const res = await send({
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(allowHeaders(res)).toEqual([]);
      expect(res.headers.get('vary')).toMatch(/origin/i);
    });
  }

  it('answers a listed origin exactly, with the documented headers and no credentials', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-allow-headers')?.split(', ')).toEqual([
      'content-type',
      'x-pam-token',
      'x-audit-key',
      'graphql-preflight',
      'x-request-id',
      'traceparent',
      'tracestate',
      'cache-control',
      'x-pamgraph-plan',
    ]);
    const post = await send({
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(post.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(post.headers.get('x-request-id')).toBeTruthy();
  });

  it('allows credentials only with CORS_ALLOW_CREDENTIALS, and uses the configured credential header names', async () => {
    const other = await startStack({
      settings: {
        corsOrigins: [ALLOWED],
        corsAllowCredentials: true,
        pamTokenHeader: 'x-fudo-token',
        auditKeyHeader: 'x-infraon-key',
      },
    });
    try {
      const res = await other.gateway.yoga.fetch(URL_, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-headers')).toContain('x-fudo-token, x-infraon-key');
    } finally {
      await other.stop();
    }
  });
});
