/**
 * First-come-first-served admission (MAX_CONCURRENT_REQUESTS): never more requests handled at once than the limit,
 * the others served in arrival order, and liveness probes never queued. Through a real listening socket.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admission } from '../../src/admission.js';
import { type Stack, startStack } from '../support/stack.js';

describe('Admission', () => {
  it('runs at most `limit` at once and the others in arrival order', async () => {
    const admission = new Admission(2, Infinity);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const release: Array<() => void> = [];
    const runs = Array.from({ length: 6 }, (_, i) =>
      admission.run(async () => {
        started.push(i);
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => release.push(resolve));
        active--;
        return i;
      }),
    );
    for (let step = 0; step < 6; step++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(admission.load.active).toBeLessThanOrEqual(2);
      release.shift()?.();
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(admission.load).toEqual({ active: 0, waiting: 0 });
  });

  it('lets the next in as soon as a request gives its place up, and counts that place once', async () => {
    const admission = new Admission(1, Infinity);
    const order: string[] = [];
    let finishFirst: () => void = () => {};
    const first = admission.run(async (release) => {
      order.push('first starts');
      release();
      release();
      await new Promise<void>((resolve) => {
        finishFirst = resolve;
      });
      order.push('first ends');
    });
    const second = admission.run(async () => {
      order.push('second runs');
    });
    await second;
    expect(order).toEqual(['first starts', 'second runs']);
    finishFirst();
    await first;
    expect(admission.load).toEqual({ active: 0, waiting: 0 });
  });

  it('yields to the event loop once a turn has used its time, and lets the rest in on the next turns', async () => {
    const admission = new Admission(100, 5);
    const order: string[] = [];
    // Scheduled now, so it runs as soon as the loop gets a turn for I/O.
    setImmediate(() => order.push('loop turn'));
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    // Ten operations of 2 ms each, all arriving at once: without turns all ten would run before the loop moves on.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        admission.run(async () => {
          busy(2);
          order.push(`op ${i}`);
        }),
      ),
    );
    const turn = order.indexOf('loop turn');
    expect(turn).toBeGreaterThan(0);
    expect(turn).toBeLessThan(order.length - 1);
    // Still first come, first served.
    expect(order.filter((o) => o !== 'loop turn')).toEqual(Array.from({ length: 10 }, (_, i) => `op ${i}`));
    expect(admission.load).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the slot when the handler throws', async () => {
    const admission = new Admission(1, Infinity);
    await expect(admission.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await admission.run(async () => 'next')).toBe('next');
    expect(admission.load).toEqual({ active: 0, waiting: 0 });
  });
});

describe('the gateway behind admission, on a real socket', () => {
  let stack: Stack;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    stack = await startStack({ settings: { maxConcurrentRequests: 1 } });
    server = createServer(stack.gateway.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stack.stop();
  });

  const query = (q: string) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: q }),
    });

  it('an operation waiting for an upstream holds no place; /health never waits', async () => {
    stack.sims.pam.setLatency(600);
    try {
      const done: string[] = [];
      const slow = query('{ accounts(first: 1) { edges { node { name } } } }').finally(() =>
        done.push('first'),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = query('{ accounts(first: 1) { edges { node { name } } } }');
      const health = await fetch(`${url}/health`).finally(() => done.push('health'));
      expect(health.status).toBe(200);
      const [a, b] = await Promise.all([slow, second]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(done[0]).toBe('health');
      // With one place, the second operation's upstream call still overlapped the first's: the first gave its
      // place up when it started waiting for the PAM API.
      const pam = stack.sims.pam.requests.list().filter((r) => r.path === '/api/system/accounts');
      const [first, next] = pam.slice(-2);
      expect(next?.startedAt).toBeLessThan(first?.endedAt ?? 0);
    } finally {
      stack.sims.pam.setLatency(0);
    }
  });

  it('a client that stalls in the middle of its request holds no place', async () => {
    const { port } = server.address() as AddressInfo;
    const stalled = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    // Headers and half of the announced body, then nothing: the request can never be parsed.
    stalled.write(
      'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"query":',
    );
    try {
      const res = await query('{ accounts(first: 1) { edges { node { name } } } }');
      expect(res.status).toBe(200);
      expect(((await res.json()) as { data?: unknown }).data).toBeTruthy();
    } finally {
      stalled.destroy();
    }
  });
});

describe('new connections while open ones keep the gateway saturated, on a real socket', () => {
  let stack: Stack;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // Views on: every operation is answered from memory, so the open connections keep the event loop busy
    // (no upstream wait frees it), as under production load.
    stack = await startStack({ settings: { views: true } });
    server = createServer(stack.gateway.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stack.stop();
  });

  const BUSY_QUERY =
    '{ accounts(first: 60) { edges { node { name type server { name address } safes { safe { name } } } } } }';

  /** One POST of `query` on `agent` (false: a new connection of its own); resolves when the response has ended. */
  const post = (agent: Agent | false, query: string) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ query });
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.once('error', reject);
      req.end(body);
    });

  it('accepts and answers new clients within a few rounds of the busy ones', async () => {
    const BUSY = 64;
    const FRESH = 40;
    const agent = new Agent({ keepAlive: true, maxSockets: BUSY });
    let completed = 0;
    let stop = false;
    expect(await post(agent, BUSY_QUERY)).toBe(200); // warms the views
    const loops = Array.from({ length: BUSY }, async () => {
      while (!stop) {
        expect(await post(agent, BUSY_QUERY)).toBe(200);
        completed++;
      }
    });
    try {
      // Every busy connection is open and in its loop.
      while (completed < BUSY * 3) await new Promise((resolve) => setTimeout(resolve, 20));
      const before = completed;
      const statuses = await Promise.all(
        Array.from({ length: FRESH }, () =>
          post(false, '{ accounts(first: 1) { edges { node { name } } } }'),
        ),
      );
      const roundsWaited = (completed - before) / BUSY;
      expect(statuses.every((s) => s === 200)).toBe(true);
      // Node accepts one connection per turn of its event loop, and a turn used to answer every ready request of
      // the open connections: the new clients waited 33 rounds of all busy clients (in the load mix, up to 20 s).
      // The gateway now yields after a few milliseconds of work per turn: measured 8 rounds, the busy clients'
      // queue included.
      expect(roundsWaited).toBeLessThan(18);
    } finally {
      stop = true;
      await Promise.all(loops);
      agent.destroy();
    }
  });
});
