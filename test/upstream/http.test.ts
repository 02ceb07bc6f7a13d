/**
 * `UpstreamHttp` against a scripted upstream over real loopback sockets: every fault must end in the right
 * stable code, within a bounded time, after the right number of attempts, and without any upstream body
 * text, URL or header value in the error.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { type HttpMethod, UpstreamHttp, type UpstreamHttpOptions } from '../../src/upstream/http.js';
import { RequestBudget, ScopedUpstream } from '../../src/upstream/scope.js';
import { errorForStatus } from '../../src/upstream/status.js';
import {
  closedPort,
  drip,
  FAULT_SECRET,
  type FaultServer,
  hang,
  huge,
  json,
  malformed,
  redirect,
  reply,
  reset,
  startFaultServer,
} from '../support/fault-server.js';

const AUTHORIZATION = 'Token tok-9d2e7b-caller-credential';
const REQUEST_ID = 'req-5be1f0-correlation';
/** A deadline of 300 ms must end well within this, however busy the machine (two loaded cores included). */
const BOUND_MS = 3_000;

const logger = createLogger({ level: 'silent' });
let server: FaultServer;
let clients: UpstreamHttp[] = [];

beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await server.stop();
});

function client(options: Partial<UpstreamHttpOptions> = {}): UpstreamHttp {
  const http = new UpstreamHttp({
    name: 'pam',
    baseUrl: server.url,
    timeoutMs: 2_000,
    connections: 4,
    maxResponseBytes: 64 * 1024,
    logger,
    backoffMs: 10,
    ...options,
  });
  clients.push(http);
  return http;
}

/** A GET (or another method) carrying the caller's credential and request id. */
const call = (method: HttpMethod = 'GET', body?: unknown) => ({
  method,
  path: '/api/system/accounts',
  authorization: AUTHORIZATION,
  requestId: REQUEST_ID,
  body,
});

/** Awaits a call that must fail with a `GatewayError` free of upstream text; returns it and the time taken. */
async function failure(promise: Promise<unknown>): Promise<{ error: GatewayError; ms: number }> {
  const started = performance.now();
  const outcome = await promise.then(
    () => new Error('the call succeeded but should have failed'),
    (error: unknown) => error,
  );
  const ms = performance.now() - started;
  if (!(outcome instanceof GatewayError)) throw new Error(`expected a GatewayError, got: ${String(outcome)}`);
  const shown = `${outcome.message} ${JSON.stringify(outcome.details)}`;
  for (const leak of [FAULT_SECRET, '127.0.0.1', String(server.port), AUTHORIZATION, REQUEST_ID, '/api/']) {
    expect(shown).not.toContain(leak);
  }
  expect(outcome.details.upstream).toBe('pam');
  return { error: outcome, ms };
}

/** Waits (bounded) until the fault server sees the numbered connection closed; true if it was. */
async function connectionClosed(connection: number | undefined): Promise<boolean> {
  if (connection === undefined) return false;
  for (let waited = 0; server.isOpen(connection) && waited < BOUND_MS; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return !server.isOpen(connection);
}

describe('the deadline', () => {
  it('ends a call to an upstream that never answers with UPSTREAM_TIMEOUT', async () => {
    server.setFallback(hang());
    const { error, ms } = await failure(client({ timeoutMs: 300 }).request(call()));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(server.requests).toHaveLength(1);
  });

  it('ends a body that drips faster than undici’s per-chunk timer but slower than the deadline', async () => {
    server.setFallback(drip(50));
    const { error, ms } = await failure(client({ timeoutMs: 300 }).request(call()));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(ms).toBeLessThan(BOUND_MS);
    expect(server.requests).toHaveLength(1);
  });

  it('sends a timed-out write exactly once and says its outcome is unknown', async () => {
    server.setFallback(hang());
    const { error, ms } = await failure(client({ timeoutMs: 300 }).request(call('POST', { name: 'x' })));
    expect(error.code).toBe('UPSTREAM_TIMEOUT');
    expect(error.message).toMatch(/outcome of the write is unknown/);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toBe('{"name":"x"}');
  });

  it('stops at once when the caller aborts, without retrying and without waiting for the deadline', async () => {
    server.setFallback(hang());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const pending = client({ timeoutMs: 10_000 }).request({ ...call(), signal: controller.signal });
    const { error, ms } = await failure(pending);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toMatch(/cancelled/);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when the caller has already aborted', async () => {
    const { error } = await failure(client().request({ ...call(), signal: AbortSignal.abort() }));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a GET whose connection is reset, then gives up with UPSTREAM_UNAVAILABLE', async () => {
    server.setFallback(reset());
    const { error, ms } = await failure(client().request(call()));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(ms).toBeLessThan(BOUND_MS);
    expect(server.requests).toHaveLength(3);
  });

  it('returns the data when a GET succeeds after a reset', async () => {
    server.script(reset(), json(200, [{ id: 1 }]));
    const response = await client().request(call());
    expect(response).toEqual({ status: 200, body: [{ id: 1 }] });
    expect(server.requests).toHaveLength(2);
  });

  it.each<HttpMethod>(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'attempts a %s whose connection is reset exactly once',
    async (method) => {
      server.setFallback(reset());
      const { error } = await failure(client().request(call(method, method === 'DELETE' ? undefined : {})));
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.message).toMatch(/outcome of the write is unknown/);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.method).toBe(method);
    },
  );

  it('retries 502, 503 and 504, then gives up with UPSTREAM_UNAVAILABLE and the last status', async () => {
    const body = JSON.stringify({ detail: FAULT_SECRET });
    server.script(reply(502, body), reply(503, body), reply(504, body));
    const { error, ms } = await failure(client().request(call()));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.details.status).toBe(504);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(server.requests).toHaveLength(3);
  });

  it('returns the data of a later attempt and reports every attempt to the observer', async () => {
    server.script(reply(502), reply(503), json(200, { id: 7 }));
    const seen: Array<number | null> = [];
    const response = await client().request(call(), (c) => seen.push(c.status));
    expect(response).toEqual({ status: 200, body: { id: 7 } });
    expect(seen).toEqual([502, 503, 200]);
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a write that answers 503, and returns the status to the caller', async () => {
    server.setFallback(reply(503, `<html>${FAULT_SECRET}</html>`, { 'content-type': 'text/html' }));
    const response = await client().request(call('POST', {}));
    expect(response).toEqual({ status: 503, body: undefined });
    expect(errorForStatus('pam', response.status).code).toBe('UPSTREAM_UNAVAILABLE');
    expect(server.requests).toHaveLength(1);
  });

  it.each([429, 503])(
    'waits for Retry-After: 1 (seconds) after a %i before the next attempt',
    async (status) => {
      server.script(reply(status, '', { 'retry-after': '1' }), json(200, []));
      const started = performance.now();
      const response = await client({ timeoutMs: 5_000 }).request(call());
      const ms = performance.now() - started;
      expect(response.status).toBe(200);
      expect(ms).toBeGreaterThanOrEqual(900);
      // Not much more than the one second asked for (generous: the machine may be loaded).
      expect(ms).toBeLessThan(4_500);
      expect(server.requests).toHaveLength(2);
    },
  );

  it('waits for a Retry-After given as an HTTP date', async () => {
    // HTTP dates have whole seconds: two seconds ahead is between one and two seconds from now.
    const at = new Date(Date.now() + 2_000).toUTCString();
    server.script(reply(429, '', { 'retry-after': at }), json(200, []));
    const started = performance.now();
    const response = await client({ timeoutMs: 5_000 }).request(call());
    const ms = performance.now() - started;
    expect(response.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(4_500);
    expect(server.requests).toHaveLength(2);
  });

  it('gives up at once when Retry-After asks for longer than the deadline leaves', async () => {
    server.setFallback(reply(503, '', { 'retry-after': '30' }));
    const { error, ms } = await failure(client({ timeoutMs: 10_000 }).request(call()));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.details.status).toBe(503);
    // Well before the 10 s deadline (generous: the machine may be loaded).
    expect(ms).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up at once when even the backoff would end past the deadline', async () => {
    server.setFallback(reply(502));
    // Full jitter draws the wait in [0, 20 s); pin the draw at 10 s, past the 5 s deadline.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { error, ms } = await failure(client({ timeoutMs: 5_000, backoffMs: 20_000 }).request(call()));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.details.status).toBe(502);
    // Well before the 5 s deadline: it did not sleep the backoff out (generous: the machine may be loaded).
    expect(ms).toBeLessThan(2_500);
    expect(server.requests).toHaveLength(1);
  });
});

describe('response bodies', () => {
  it('rejects a 200 whose body is not JSON with UPSTREAM_BAD_RESPONSE', async () => {
    server.setFallback(malformed());
    const { error } = await failure(client().request(call()));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(server.requests).toHaveLength(1);
  });

  it('returns an error status whose body is an HTML page with no body, so its status decides', async () => {
    server.setFallback(reply(500, `<html>${FAULT_SECRET}</html>`, { 'content-type': 'text/html' }));
    const response = await client().request(call());
    expect(response).toEqual({ status: 500, body: undefined });
    const scoped = new ScopedUpstream(client(), {
      credential: 'x',
      credentialHeader: 'x-pam-token',
      requestId: 'r',
      budget: new RequestBudget(100),
    });
    const { error } = await failure(scoped.get('/api/system/accounts'));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.each([
    { contentLength: true, label: 'declared by content-length' },
    { contentLength: false, label: 'sent chunked' },
  ])('rejects a body over the cap ($label) and releases the socket', async ({ contentLength }) => {
    server.script(huge(8 * 1024 * 1024, { contentLength }), json(200, { ok: true }));
    const http = client({ maxResponseBytes: 64 * 1024 });
    const { error, ms } = await failure(http.request(call()));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(ms).toBeLessThan(BOUND_MS);
    // The rest of the body is not drained: its connection is closed and the pool carries on without it.
    expect(await connectionClosed(server.requests[0]?.connection)).toBe(true);
    expect(await http.request(call())).toEqual({ status: 200, body: { ok: true } });
    expect(server.requests).toHaveLength(2);
  });

  it.each([301, 302] as const)(
    'does not follow a %i redirect: the caller gets the status',
    async (status) => {
      const elsewhere = await startFaultServer();
      try {
        server.setFallback(redirect(status, `${elsewhere.url}/api/system/accounts`));
        const response = await client().request(call());
        expect(response).toEqual({ status, body: undefined });
        expect(errorForStatus('pam', status).code).toBe('UPSTREAM_BAD_RESPONSE');
        const scoped = new ScopedUpstream(client(), {
          credential: 'x',
          credentialHeader: 'x-pam-token',
          requestId: 'r',
          budget: new RequestBudget(100),
        });
        const { error } = await failure(scoped.get('/api/system/accounts'));
        expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
        expect(server.requests).toHaveLength(2);
        expect(elsewhere.requests).toHaveLength(0);
      } finally {
        await elsewhere.stop();
      }
    },
  );

  it('returns no body for a 204', async () => {
    server.setFallback(reply(204));
    expect(await client().request(call('DELETE'))).toEqual({ status: 204, body: undefined });
  });
});

describe('connections and requests', () => {
  it('fails with UPSTREAM_UNAVAILABLE when nothing listens, after retrying a GET', async () => {
    const port = await closedPort();
    const attempts: number[] = [];
    const http = client({ baseUrl: `http://127.0.0.1:${port}` });
    const { error, ms } = await failure(http.request(call(), (c) => attempts.push(c.attempt)));
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).not.toContain(String(port));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('says a write to a closed port did nothing (it never left)', async () => {
    const port = await closedPort();
    const { error } = await failure(
      client({ baseUrl: `http://127.0.0.1:${port}` }).request(call('POST', {})),
    );
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).not.toMatch(/unknown/);
  });

  it('reuses kept-alive connections for sequential GETs', async () => {
    server.setFallback(json(200, []));
    const http = client();
    for (let i = 0; i < 20; i++) expect((await http.request(call())).status).toBe(200);
    expect(server.requests).toHaveLength(20);
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('keeps the base URL’s path prefix and sends the query without undefined values', async () => {
    const http = client({ baseUrl: `${server.url}/prefix/v1/` });
    await http.request({
      method: 'GET',
      path: '/accounts',
      query: { page: 2, page_size: undefined, all: true },
    });
    expect(server.requests[0]?.path).toBe('/prefix/v1/accounts?page=2&all=true');
  });

  it('sends authorization and x-request-id exactly as given, and a write’s body as JSON', async () => {
    await client().request(call('PATCH', { blocked: true }));
    const [seen] = server.requests;
    expect(seen?.headers.authorization).toBe(AUTHORIZATION);
    expect(seen?.headers['x-request-id']).toBe(REQUEST_ID);
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.method).toBe('PATCH');
    expect(JSON.parse(seen?.body ?? '')).toEqual({ blocked: true });
  });
});
