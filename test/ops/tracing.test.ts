/**
 * OpenTelemetry traces (issue 13 §4), from a real gateway process to a local OTLP/HTTP receiver (`node:http`; no
 * collector can be installed here), over simulators this test runs so that it sees the `traceparent` each upstream
 * request carried. One trace goes from the caller's `traceparent` through the operation span to the upstream request
 * span, whose context is what the upstream received; a shared view sync is a root span of its own trace, linked to
 * the operation that waited for it, and sends its own `traceparent`, never the caller's.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulators, startSimulators } from '../../src/simulator/index.js';
import {
  type GatewayProcess,
  killGatewayProcesses,
  startGatewayProcess,
} from '../support/gateway-process.js';
import { sleep } from '../support/sse.js';
import { startStack } from '../support/stack.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
}

/** OTLP JSON carries ids as hex (the spec's JSON mapping) or, from some encoders, base64: read both. */
const hexId = (id: unknown): string =>
  typeof id !== 'string' || id === '' || /^[0-9a-f]+$/.test(id)
    ? String(id ?? '')
    : Buffer.from(id, 'base64').toString('hex');

function attributeValue(value: Record<string, unknown>): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value)
    return ((value.arrayValue as { values?: Array<Record<string, unknown>> }).values ?? []).map(
      attributeValue,
    );
  return value;
}

const spans: OtlpSpan[] = [];
const contentTypes = new Set<string>();
let receiver: Server;
let sims: RunningSimulators;
let gateway: GatewayProcess;
let url: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      contentTypes.add(String(req.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }>;
      };
      for (const resource of body.resourceSpans ?? [])
        for (const scope of resource.scopeSpans ?? [])
          for (const span of scope.spans ?? []) {
            const attributes: Record<string, unknown> = {};
            for (const a of (span.attributes as Array<{ key: string; value: Record<string, unknown> }>) ?? [])
              attributes[a.key] = attributeValue(a.value);
            spans.push({
              traceId: hexId(span.traceId),
              spanId: hexId(span.spanId),
              ...(span.parentSpanId ? { parentSpanId: hexId(span.parentSpanId) } : {}),
              name: String(span.name),
              attributes,
              links: ((span.links as Array<Record<string, unknown>>) ?? []).map((l) => ({
                traceId: hexId(l.traceId),
                spanId: hexId(l.spanId),
              })),
            });
          }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  sims = await startSimulators({
    sizes: { accounts: 40, servers: 8, safes: 4, listeners: 3, users: 8, auditEntries: 100 },
  });
  gateway = startGatewayProcess({
    ...gatewayEnv(),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    OTEL_SERVICE_NAME: 'pamgraph-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  url = await gateway.ready;
}, 30_000);
afterAll(async () => {
  killGatewayProcesses();
  await sims?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

/** A gateway process over this file's simulators, lending their demo credentials; traces are configured per test. */
const gatewayEnv = () => ({
  PORT: '0',
  LOG_LEVEL: 'info',
  DRAIN_DELAY_MS: '0',
  PAM_URL: sims.pam.url,
  AUDIT_URL: sims.audit.url,
  CREDENTIAL_MODE: 'fallback',
  PAM_TOKEN: sims.credentials.pam.superadminToken,
  AUDIT_API_KEY: sims.credentials.audit.primaryKey,
});

async function query(document: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: document }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown };
}

async function waitFor<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (performance.now() > deadline) throw new Error(`no ${what}; spans: ${JSON.stringify(spans, null, 1)}`);
    await sleep(50);
  }
}

const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, header: `00-${traceId}-${spanId}-01` };
};

describe('traces', () => {
  it('follow one trace from the caller to the upstream request, which carries its traceparent', async () => {
    const caller = newTraceparent();
    const res = await query('query TracedAccount { account(id: "3") { name } }', {
      traceparent: caller.header,
      // Past the shared views: the operation sends its own upstream request.
      'cache-control': 'no-cache',
    });
    expect(res.errors).toBeUndefined();

    const operation = await waitFor(
      () => spans.find((s) => s.traceId === caller.traceId && s.name === 'query TracedAccount'),
      'operation span',
    );
    expect(operation.parentSpanId).toBe(caller.spanId);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'TracedAccount',
      'graphql.operation.type': 'query',
    });
    const upstream = await waitFor(
      () => spans.find((s) => s.traceId === caller.traceId && s.parentSpanId === operation.spanId),
      'upstream span',
    );
    expect(upstream.name).toBe('GET /api/system/accounts/:id');
    expect(upstream.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.template': '/api/system/accounts/:id',
      'http.response.status_code': 200,
      'pamgraph.upstream': 'pam',
      'pamgraph.retries': 0,
    });
    // What the PAM API received: the upstream span's own context, in the caller's trace.
    const received = sims.pam.requests.list().find((r) => r.path === '/api/system/accounts/3');
    expect(received?.headers.traceparent).toBe(`00-${caller.traceId}-${upstream.spanId}-01`);
    // The access log names the trace.
    expect(gateway.output()).toContain(`"traceId":"${caller.traceId}"`);
    expect([...contentTypes].every((t) => t.startsWith('application/json'))).toBe(true);
  });

  it('make a view sync a root span of its own, linked to each operation that waited, with its own traceparent', async () => {
    const first = newTraceparent();
    const second = newTraceparent();
    sims.pam.requests.reset();
    // A slow PAM API: both operations arrive while the one sync of the servers view runs, and wait for it.
    sims.pam.setLatency(300);
    const document = 'query ViewedServers { servers(first: 2) { edges { node { name } } } }';
    const results = await Promise.all(
      [first, second].map((caller) => query(document, { traceparent: caller.header })),
    ).finally(() => sims.pam.setLatency(0));
    for (const res of results) expect(res.errors).toBeUndefined();
    const [one, two] = await Promise.all(
      [first, second].map((caller) =>
        waitFor(
          () => spans.find((s) => s.traceId === caller.traceId && s.name === 'query ViewedServers'),
          'operation span',
        ),
      ),
    );
    const sync = await waitFor(
      () => spans.find((s) => s.name === 'view sync' && s.links.some((l) => l.spanId === one?.spanId)),
      'sync span linked to the operation',
    );
    expect(sync.traceId).not.toBe(first.traceId);
    expect(sync.parentSpanId).toBeUndefined();
    // One sync served both, and says so once for each.
    expect(sync.links).toEqual(
      expect.arrayContaining([
        { traceId: first.traceId, spanId: one?.spanId },
        { traceId: second.traceId, spanId: two?.spanId },
      ]),
    );
    expect(sync.links).toHaveLength(2);
    const fetch = await waitFor(
      () => spans.find((s) => s.parentSpanId === sync.spanId && s.name === 'GET /api/system/servers'),
      'the sync’s upstream span',
    );
    expect(fetch.traceId).toBe(sync.traceId);
    // The upstream saw the sync's trace, never a caller's.
    const received = sims.pam.requests.list().filter((r) => r.path === '/api/system/servers');
    expect(received.length).toBeGreaterThan(0);
    for (const r of received) {
      expect(r.headers.traceparent).not.toContain(first.traceId);
      expect(r.headers.traceparent).not.toContain(second.traceId);
    }
    expect(received.map((r) => r.headers.traceparent)).toContain(`00-${sync.traceId}-${fetch.spanId}-01`);
  });
});

describe('without an OTLP endpoint', () => {
  it('passes a caller’s traceparent on to its own upstream requests, and none on shared work', async () => {
    const stack = await startStack({ settings: { views: true } });
    try {
      const caller = newTraceparent();
      const own = await stack.query('{ account(id: "2") { name } }', undefined, {
        traceparent: caller.header,
        'cache-control': 'no-cache',
      });
      expect(own.errors).toBeUndefined();
      const byId = stack.sims.pam.requests.list().find((r) => r.path === '/api/system/accounts/2');
      expect(byId?.headers.traceparent).toBe(caller.header);

      stack.resetRecords();
      const shared = await stack.query('{ users(first: 1) { edges { node { name } } } }', undefined, {
        traceparent: caller.header,
      });
      expect(shared.errors).toBeUndefined();
      const sync = stack.sims.pam.requests.list().filter((r) => r.path === '/api/system/users');
      expect(sync.length).toBeGreaterThan(0);
      expect(sync.every((r) => r.headers.traceparent === undefined)).toBe(true);
      // A malformed traceparent is not passed on.
      stack.resetRecords();
      await stack.query('{ account(id: "2") { name } }', undefined, {
        traceparent: '00-zz-11-01',
        'cache-control': 'no-cache',
      });
      expect(stack.sims.pam.requests.list().every((r) => r.headers.traceparent === undefined)).toBe(true);
    } finally {
      await stack.stop();
    }
  });
});

describe('a collector that is down', () => {
  it('is told to the operator, as are unusable settings, by name, never quoting a header', async () => {
    // A port nothing listens on: the collector is down.
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const secret = 'Bearer otlp-s3cret-token';
    const gw = startGatewayProcess({
      ...gatewayEnv(),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(secret)},=${encodeURIComponent(secret)}`,
      OTEL_TRACES_SAMPLER: 'jaeger_remote',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    const target = await gw.ready;
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ account(id: "1") { name } }' }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const lost = await waitFor(
      () =>
        gw
          .output()
          .split('\n')
          .find((line) => line.includes('traces could not be exported')),
      'export warning',
    );
    expect(JSON.parse(lost)).toMatchObject({ level: 40, reason: 'ECONNREFUSED' });
    expect(JSON.parse(lost).spansLost).toBeGreaterThan(0);
    const output = gw.output();
    expect(output).toContain('OTEL_TRACES_SAMPLER=\\"jaeger_remote\\" is not supported');
    expect(output).toContain('OTEL_EXPORTER_OTLP_HEADERS has an entry that is not key=value');
    expect(output).not.toContain('s3cret');
  });
});
