/**
 * The circuit breaker of `UpstreamHttp` against a scripted upstream over real loopback sockets: what
 * counts as a failed call (a timeout, a GET's 5xx after its retries, a write's returned 5xx) and what
 * does not (a 429, the caller's own cancellation, a success between failures), and how the trial call
 * after the cool-down decides. "The upstream received nothing" is proven by the requests it recorded.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { type HttpMethod, UpstreamHttp, type UpstreamHttpOptions } from '../../src/upstream/http.js';
import {
  type Behaviour,
  type FaultServer,
  hang,
  json,
  reply,
  startFaultServer,
} from '../support/fault-server.js';
import { LogCapture } from '../support/log-capture.js';

/** Short cool-down for the tests that wait it out. */
const SHORT_COOLDOWN_MS = 200;

let server: FaultServer;
let clients: UpstreamHttp[] = [];
let logs: LogCapture;

beforeEach(async () => {
  server = await startFaultServer();
  logs = new LogCapture();
});
afterEach(async () => {
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
    logger: createLogger({ level: 'info', destination: logs }),
    backoffMs: 10,
    breakerThreshold: 3,
    // Long enough that no test that does not wait it out ever reaches the trial call.
    breakerCooldownMs: 60_000,
    ...options,
  });
  clients.push(http);
  return http;
}

const call = (method: HttpMethod = 'GET', signal?: AbortSignal) => ({
  method,
  path: '/api/system/accounts',
  authorization: 'Token tok-breaker-test',
  body: method === 'GET' ? undefined : { name: 'x' },
  signal,
});

/** The call's status, or its error's code and reason. */
async function outcome(promise: Promise<{ status: number }>): Promise<string> {
  try {
    return `HTTP ${(await promise).status}`;
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return [error.code, error.details.reason].filter(Boolean).join(' ');
  }
}

async function calls(http: UpstreamHttp, count: number, method: HttpMethod = 'GET'): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) seen.push(await outcome(http.request(call(method))));
  return seen;
}

/** Never answers, and cancels the caller's request once the upstream has received it. */
const cancelOnArrival =
  (caller: AbortController): Behaviour =>
  () =>
    caller.abort();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('opening the circuit', () => {
  it('opens after 3 failed calls in a row; later calls fail at once and are not sent', async () => {
    server.setFallback(reply(500, '{}'));
    const http = client();
    expect(http.circuitState).toBe('closed');
    expect(await calls(http, 3)).toEqual(['HTTP 500', 'HTTP 500', 'HTTP 500']);
    expect(http.circuitState).toBe('open');

    const started = performance.now();
    const refused = await http.request(call()).catch((error: unknown) => error);
    expect(performance.now() - started).toBeLessThan(2_000 / 3);
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      details: { upstream: 'pam', reason: 'circuit open' },
    });
    expect(await calls(http, 3, 'POST')).toEqual(Array(3).fill('UPSTREAM_UNAVAILABLE circuit open'));
    expect(server.requests).toHaveLength(3);
  });

  it('counts a write’s 5xx, which is returned to the caller rather than thrown', async () => {
    server.setFallback(reply(503, '{}'));
    const http = client();
    expect(await calls(http, 3, 'POST')).toEqual(['HTTP 503', 'HTTP 503', 'HTTP 503']);
    expect(http.circuitState).toBe('open');
    expect(await calls(http, 1, 'DELETE')).toEqual(['UPSTREAM_UNAVAILABLE circuit open']);
    expect(server.requests).toHaveLength(3);
  });

  it('counts timeouts', async () => {
    server.setFallback(hang());
    const http = client({ timeoutMs: 200 });
    expect(await calls(http, 3)).toEqual(Array(3).fill('UPSTREAM_TIMEOUT'));
    expect(http.circuitState).toBe('open');
    expect(await calls(http, 1)).toEqual(['UPSTREAM_UNAVAILABLE circuit open']);
    expect(server.requests).toHaveLength(3);
  });

  it('counts a GET once, after its retries, not once per attempt', async () => {
    server.setFallback(reply(503, '{}'));
    const http = client({ maxAttempts: 3 });
    expect(await calls(http, 2)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
    expect(server.requests).toHaveLength(6);
    expect(http.circuitState).toBe('closed');
    expect(await calls(http, 1)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(http.circuitState).toBe('open');
  });

  it('does not count 429 answers, to a GET or to a write', async () => {
    server.setFallback(reply(429, '{}'));
    const http = client({ maxAttempts: 2 });
    expect(await calls(http, 4)).toEqual(Array(4).fill('UPSTREAM_UNAVAILABLE'));
    expect(await calls(http, 4, 'POST')).toEqual(Array(4).fill('HTTP 429'));
    expect(http.circuitState).toBe('closed');
    expect(server.requests).toHaveLength(4 * 2 + 4);
  });

  it('does not count calls the caller cancelled', async () => {
    const http = client();
    for (let i = 0; i < 4; i++) {
      const caller = new AbortController();
      server.script(cancelOnArrival(caller));
      expect(await outcome(http.request(call('GET', caller.signal)))).toBe('UPSTREAM_UNAVAILABLE');
    }
    expect(http.circuitState).toBe('closed');
    expect(server.requests).toHaveLength(4);
  });

  it('starts the count again after a success', async () => {
    server.script(reply(500), reply(500), json(200, []), reply(500), reply(500));
    const http = client();
    expect(await calls(http, 5)).toEqual(['HTTP 500', 'HTTP 500', 'HTTP 200', 'HTTP 500', 'HTTP 500']);
    expect(http.circuitState).toBe('closed');
  });

  it('leaves another upstream’s circuit closed', async () => {
    server.setFallback(reply(500, '{}'));
    const pam = client();
    const audit = client({ name: 'audit' });
    await calls(pam, 3);
    expect(pam.circuitState).toBe('open');
    expect(audit.circuitState).toBe('closed');
    expect(await calls(audit, 1)).toEqual(['HTTP 500']);
    expect(server.requests).toHaveLength(4);
  });
});

describe('after the cool-down', () => {
  it('closes when the one trial call succeeds, and logs each change without the address', async () => {
    server.setFallback(reply(500, '{}'));
    const http = client({ breakerCooldownMs: SHORT_COOLDOWN_MS });
    await calls(http, 3);
    expect(http.circuitState).toBe('open');
    server.setFallback(json(200, []));
    await sleep(SHORT_COOLDOWN_MS + 50);
    expect(await calls(http, 1)).toEqual(['HTTP 200']);
    expect(http.circuitState).toBe('closed');
    expect(await calls(http, 2)).toEqual(['HTTP 200', 'HTTP 200']);

    const changes = logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(changes.map((e) => [e.level, e.upstream, e.msg])).toEqual([
      [40, 'pam', 'upstream circuit open: calls fail fast'],
      [30, 'pam', 'upstream circuit half-open: one trial call'],
      [30, 'pam', 'upstream circuit closed'],
    ]);
    expect(changes[0]).toMatchObject({
      cooldownMs: SHORT_COOLDOWN_MS,
      lastFailure: expect.stringMatching(/500/),
    });
    expect(logs.text).not.toContain('127.0.0.1');
    expect(logs.text).not.toContain(`:${server.port}`);
  });

  it('re-opens when the trial call fails; calls during the trial fail at once', async () => {
    server.setFallback(reply(500, '{}'));
    const http = client({ breakerCooldownMs: SHORT_COOLDOWN_MS, timeoutMs: 300 });
    await calls(http, 3);
    server.setFallback(hang());
    await sleep(SHORT_COOLDOWN_MS + 50);

    let trialEnded = false;
    const trial = outcome(http.request(call())).finally(() => {
      trialEnded = true;
    });
    expect(http.circuitState).toBe('half-open');
    // Refused without waiting for the trial (which hangs until its 300 ms deadline).
    expect(await calls(http, 2)).toEqual(Array(2).fill('UPSTREAM_UNAVAILABLE circuit open'));
    expect(trialEnded).toBe(false);
    expect(await trial).toBe('UPSTREAM_TIMEOUT');
    expect(http.circuitState).toBe('open');
    expect(await calls(http, 1)).toEqual(['UPSTREAM_UNAVAILABLE circuit open']);
    expect(server.requests).toHaveLength(3 + 1);
  });

  it('re-opens rather than closes when the caller cancels the trial call', async () => {
    server.setFallback(reply(500, '{}'));
    const http = client({ breakerCooldownMs: SHORT_COOLDOWN_MS });
    await calls(http, 3);
    const caller = new AbortController();
    server.setFallback(cancelOnArrival(caller));
    await sleep(SHORT_COOLDOWN_MS + 50);

    expect(await outcome(http.request(call('GET', caller.signal)))).toBe('UPSTREAM_UNAVAILABLE');
    expect(http.circuitState).toBe('open');
    expect(server.requests).toHaveLength(3 + 1);
  });
});
