/**
 * `/ready` and `/health` (issue 13 §1): readiness waits for the first probe of each upstream, probes carry no
 * credential and count any HTTP answer as reachable, upstream trouble fails readiness only when asked to, draining
 * answers 503, and the body says nothing but each upstream's probe and circuit state. Upstreams are the real
 * simulators, or fault servers on loopback (a hung one, a closed port).
 */
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, hang, startFaultServer } from '../support/fault-server.js';
import { sleep } from '../support/sse.js';
import { type Stack, type StackOptions, startStack } from '../support/stack.js';

const stacks: Stack[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const stack of stacks.splice(0)) await stack.stop();
});

async function stackWith(options: StackOptions): Promise<Stack> {
  const stack = await startStack(options);
  stacks.push(stack);
  return stack;
}

interface Report {
  status: string;
  upstreams: Record<string, Record<string, unknown>>;
}

async function ready(stack: Stack, headers: Record<string, string> = {}) {
  const response = await stack.gateway.yoga.fetch('http://pamgraph.test/ready', { headers });
  return { status: response.status, body: (await response.json()) as Report, headers: response.headers };
}

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

describe('/ready', () => {
  it('answers 503 until both upstreams were probed, then 200 with each probe and circuit state only', async () => {
    const stack = await stackWith({ mode: 'forward' });
    const before = await ready(stack);
    expect(before.status).toBe(503);
    expect(before.body.status).toBe('starting');
    expect(before.headers.get('cache-control')).toBe('no-store');

    stack.resetRecords();
    stack.gateway.readiness.start();
    await until(async () => (await ready(stack)).status === 200);
    const { body } = await ready(stack);
    expect(body.status).toBe('ready');
    expect(Object.keys(body).sort()).toEqual(['status', 'upstreams']);
    for (const name of ['pam', 'audit']) {
      const probe = body.upstreams[name] as Record<string, unknown>;
      expect(Object.keys(probe).sort()).toEqual(['checkedAt', 'circuit', 'latencyMs', 'reachable', 'status']);
      // No credential went out, so the upstream said 401: reachable all the same.
      expect(probe).toMatchObject({ reachable: true, status: 401, circuit: 'closed' });
      expect(typeof probe.latencyMs).toBe('number');
    }
    const probes = [...stack.sims.pam.requests.list(), ...stack.sims.audit.requests.list()];
    expect(probes).toHaveLength(2);
    expect(probes.every((p) => p.headers.authorization === undefined)).toBe(true);
    const head = await stack.gateway.yoga.fetch('http://pamgraph.test/ready', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const text = JSON.stringify(body);
    expect(text).not.toContain(stack.sims.pam.url);
    expect(text).not.toContain(stack.sims.audit.url);
  });

  it('stays "starting" while a probe hangs, then ready with the upstream marked unreachable', async () => {
    const hung = await startFaultServer();
    hung.setFallback(hang());
    stops.push(() => hung.stop());
    const stack = await stackWith({ pam: { url: hung.url }, settings: { upstreamTimeoutMs: 1500 } });
    stack.gateway.readiness.start();
    await sleep(300);
    expect((await ready(stack)).body.status).toBe('starting');
    await until(async () => (await ready(stack)).status === 200, 5000);
    const { body } = await ready(stack);
    // One upstream down does not take the replica out: another replica could not do better.
    expect(body.upstreams.pam).toMatchObject({ reachable: false, status: null });
    expect(body.upstreams.audit).toMatchObject({ reachable: true });
  });

  it('fails on an unreachable upstream with READY_REQUIRES_UPSTREAMS=true, and recovers with it', async () => {
    const port = await closedPort();
    const stack = await stackWith({
      pam: { url: `http://127.0.0.1:${port}` },
      settings: { readyRequiresUpstreams: true, readyProbeIntervalMs: 200 },
    });
    stack.gateway.readiness.start();
    await until(async () => (await ready(stack)).body.status !== 'starting');
    const down = await ready(stack);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('upstream unavailable');
    expect(down.body.upstreams.pam).toMatchObject({ reachable: false });
    // Said once in the log, from the first probe on (not only when a reachable upstream goes away).
    const said = stack.logs.lines.filter((l) => l.includes('upstream unreachable at start'));
    expect(said).toHaveLength(1);
    expect(JSON.parse(said[0] ?? '{}')).toMatchObject({
      level: 40,
      readiness: { upstream: 'pam', reachable: false },
    });

    // The upstream comes back (answering 401 to a request without credentials, as the PAM API does).
    const back = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"no"}');
    });
    await new Promise<void>((resolve) => back.listen(port, '127.0.0.1', resolve));
    stops.push(() => new Promise<void>((resolve) => back.close(() => resolve())));
    await until(async () => (await ready(stack)).status === 200);
    expect((await ready(stack)).body.upstreams.pam).toMatchObject({ reachable: true, status: 401 });
  });

  it('probes on a connection of its own: a pool busy with slow calls is not "unreachable"', async () => {
    // A PAM API that answers the probe (no credential) at once, and holds every data call for 3 s.
    const slow = await startFaultServer();
    slow.setFallback((req, res, signal) => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"detail":"no credentials"}');
        return;
      }
      const timer = setTimeout(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'),
        3000,
      );
      signal.addEventListener('abort', () => clearTimeout(timer));
    });
    stops.push(() => slow.stop());
    const stack = await stackWith({
      pam: { url: slow.url },
      settings: { upstreamConnections: 1, upstreamTimeoutMs: 1500 },
    });
    // One operation takes the pool's only connection (bypassing the views: its own call).
    const busy = stack.gateway.yoga.fetch('http://pamgraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
      body: JSON.stringify({ query: '{ servers(first: 1) { edges { node { name } } } }' }),
    });
    await until(async () => slow.requests.some((r) => r.headers.authorization !== undefined));
    await stack.gateway.readiness.probe();
    const pam = (await ready(stack)).body.upstreams.pam;
    expect(pam).toMatchObject({ reachable: true, status: 401 });
    expect(pam?.latencyMs as number).toBeLessThan(1000);
    await busy;
  });

  it('answers whatever the Host (a load balancer probes by address), and 503 once draining', async () => {
    const stack = await stackWith({ settings: { allowedHosts: 'loopback' } });
    stack.gateway.readiness.start();
    await until(async () => (await ready(stack)).status === 200);
    const graphql = await stack.gateway.yoga.fetch('http://10.0.0.8:4000/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '10.0.0.8:4000' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(403);
    const byAddress = await stack.gateway.yoga.fetch('http://10.0.0.8:4000/ready', {
      headers: { host: '10.0.0.8:4000' },
    });
    expect(byAddress.status).toBe(200);

    stack.gateway.readiness.drain();
    const draining = await ready(stack);
    expect(draining.status).toBe(503);
    expect(draining.body.status).toBe('draining');
  });
});

describe('/health', () => {
  it('answers 200 without calling an upstream, even before the first probe', async () => {
    const stack = await stackWith({});
    stack.resetRecords();
    const response = await stack.gateway.yoga.fetch('http://pamgraph.test/health');
    expect(response.status).toBe(200);
    expect(stack.sims.pam.requests.count + stack.sims.audit.requests.count).toBe(0);
  });
});
