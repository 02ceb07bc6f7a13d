/**
 * The traces' OTLP/HTTP exporter (src/ops/otlp.ts) against a real local receiver: what the standard
 * `OTEL_EXPORTER_OTLP_*` variables say is what goes over the wire (URL, headers, gzip), a collector's transient
 * refusals are retried and its permanent ones are not, a dead or hanging collector costs the batch within the timeout,
 * and no warning or failure reason quotes a header value or a URL.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { otlpExporter, otlpSettings } from '../../src/ops/otlp.js';
import type { FinishedSpan } from '../../src/ops/tracer.js';

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A receiver that answers each request with `answer` (the n-th, from 0), recording what it got. */
async function receiver(answer: (n: number, res: ServerResponse) => void = (_n, res) => res.end('{}')) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      answer(received.length - 1, res);
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { received, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const span = (over: Partial<FinishedSpan> = {}, now = performance.now()): FinishedSpan => ({
  name: 'GET /api/system/accounts/:id',
  kind: SpanKind.CLIENT,
  context: { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceFlags: TraceFlags.SAMPLED },
  parent: { traceId: 'ab'.repeat(16), spanId: 'ef'.repeat(8), traceFlags: TraceFlags.SAMPLED },
  startMs: now - 12.5,
  endMs: now,
  attributes: {
    'http.request.method': 'GET',
    'http.response.status_code': 200,
    'pamgraph.codes': ['A', 'B'],
  },
  links: [],
  droppedLinksCount: 0,
  status: { code: SpanStatusCode.UNSET },
  ...over,
});

/** A cancel signal that never fires. */
const live = () => new AbortController().signal;

function settingsFor(env: Record<string, string>) {
  const warnings: string[] = [];
  const settings = otlpSettings(env, warnings);
  return { settings, warnings };
}

/** The exporter the environment `env` configures, for a resource of `resource`. */
function exporterFor(
  env: Record<string, string>,
  resource: Record<string, string> = { 'service.name': 'gw' },
) {
  const { settings } = settingsFor(env);
  if (!settings) throw new Error('no settings');
  return otlpExporter(settings, resource);
}

describe('the OTLP exporter’s settings', () => {
  it('adds /v1/traces to the general endpoint and takes the traces endpoint as it is', () => {
    expect(settingsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).settings?.url.href).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(settingsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example/otlp/' }).settings?.url.href).toBe(
      'https://c.example/otlp/v1/traces',
    );
    expect(
      settingsFor({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom',
      }).settings?.url.href,
    ).toBe('http://traces:9999/custom');
  });

  it('turns traces off, with a warning that quotes no value, for an endpoint it cannot use', () => {
    for (const endpoint of ['not a url', 'ftp://collector/', 'https://user:hunter2@collector/']) {
      const { settings, warnings } = settingsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      expect(settings).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^OTEL_EXPORTER_OTLP_ENDPOINT .*traces are off\.$/);
      expect(warnings[0]).not.toContain('hunter2');
    }
    const tls = settingsFor({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector',
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/nonexistent/ca.pem',
    });
    expect(tls.settings).toBeUndefined();
    expect(tls.warnings).toEqual([
      'OTEL_EXPORTER_OTLP_CERTIFICATE names a file that cannot be read; traces are off.',
    ]);
  });

  it('reads headers (the traces ones winning), timeout, compression and protocol, warning of the rest', () => {
    const { settings, warnings } = settingsFor({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'X-Api-Key=general,x-team=net%20ops,broken',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=s3cret-value',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    expect(settings?.headers).toEqual({ 'x-api-key': 's3cret-value', 'x-team': 'net ops' });
    expect(settings?.timeoutMs).toBe(2500);
    expect(settings?.gzip).toBe(true);
    expect(warnings).toEqual([
      'OTEL_EXPORTER_OTLP_HEADERS has an entry that is not key=value (percent-encoded); it is left out.',
      'OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf": pamgraph sends http/json only.',
    ]);
    const bad = settingsFor({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TIMEOUT: '-1',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli',
    });
    // A key sent in the clear to another host is worth a warning; to this host it is not.
    const clear = (host: string) =>
      settingsFor({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${host}:4318`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k',
      }).warnings;
    expect(clear('collector.example')).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT is plain http to another host: the OTLP headers (a collector's key, say) cross the network unencrypted.",
    ]);
    expect(clear('127.0.0.1')).toEqual([]);
    expect(bad.settings?.timeoutMs).toBe(10_000);
    expect(bad.settings?.gzip).toBe(false);
    expect(bad.warnings).toHaveLength(2);
  });
});

describe('the OTLP exporter', () => {
  it('posts one OTLP/JSON request per batch, with the configured headers and the resource', async () => {
    const { received, base } = await receiver();
    const exporter = exporterFor(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: base,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=k1',
      },
      { 'service.name': 'gw', region: 'eu' },
    );
    const failed = { code: SpanStatusCode.ERROR, message: 'UPSTREAM_TIMEOUT' };
    const link = { traceId: '12'.repeat(16), spanId: '34'.repeat(8), traceFlags: TraceFlags.NONE };
    const before = Date.now();
    expect(
      await exporter.export([span(), span({ parent: undefined, status: failed, links: [link] })], live()),
    ).toBe(undefined);
    await exporter.shutdown();
    expect(received).toHaveLength(1);
    expect(received[0]?.url).toBe('/v1/traces');
    expect(received[0]?.headers['content-type']).toBe('application/json');
    expect(received[0]?.headers['x-api-key']).toBe('k1');
    const body = JSON.parse(received[0]?.body.toString('utf8') ?? '') as {
      resourceSpans: Array<{
        resource: { attributes: unknown[] };
        scopeSpans: Array<{ scope: { name: string }; spans: Array<Record<string, unknown>> }>;
      }>;
    };
    const resource = body.resourceSpans[0];
    expect(resource?.resource.attributes).toEqual([
      { key: 'service.name', value: { stringValue: 'gw' } },
      { key: 'region', value: { stringValue: 'eu' } },
    ]);
    expect(resource?.scopeSpans[0]?.scope.name).toBe('pamgraph');
    const [child, root] = resource?.scopeSpans[0]?.spans ?? [];
    expect(child).toMatchObject({
      traceId: 'ab'.repeat(16),
      spanId: 'cd'.repeat(8),
      parentSpanId: 'ef'.repeat(8),
      name: 'GET /api/system/accounts/:id',
      kind: 3, // CLIENT in OTLP's numbering
      flags: 0x101,
      status: { code: 0 },
      attributes: [
        { key: 'http.request.method', value: { stringValue: 'GET' } },
        { key: 'http.response.status_code', value: { intValue: '200' } },
        {
          key: 'pamgraph.codes',
          value: { arrayValue: { values: [{ stringValue: 'A' }, { stringValue: 'B' }] } },
        },
      ],
    });
    const start = BigInt(child?.startTimeUnixNano as string);
    const end = BigInt(child?.endTimeUnixNano as string);
    expect(Number(end - start) / 1e6).toBeCloseTo(12.5, 1);
    expect(Math.abs(Number(start / 1_000_000n) - before)).toBeLessThan(1000);
    expect(root).not.toHaveProperty('parentSpanId');
    expect(root?.status).toEqual({ code: 2, message: 'UPSTREAM_TIMEOUT' });
    expect(root?.links).toEqual([{ traceId: '12'.repeat(16), spanId: '34'.repeat(8), flags: 0x100 }]);
  });

  it('gzips the body when asked', async () => {
    const { received, base } = await receiver();
    const exporter = exporterFor({
      OTEL_EXPORTER_OTLP_ENDPOINT: base,
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    });
    expect(await exporter.export([span()], live())).toBe(undefined);
    await exporter.shutdown();
    expect(received[0]?.headers['content-encoding']).toBe('gzip');
    const body = JSON.parse(gunzipSync(received[0]?.body ?? Buffer.alloc(0)).toString('utf8'));
    expect(body.resourceSpans[0].scopeSpans[0].spans).toHaveLength(1);
  });

  it('tries a transient refusal again (after its Retry-After), and gives up on a permanent one at once', async () => {
    const transient = await receiver((n, res) =>
      n === 0 ? res.writeHead(503, { 'retry-after': '1' }).end() : res.end('{}'),
    );
    const permanent = await receiver((_n, res) => res.writeHead(400).end('{"message":"bad: s3cret"}'));
    for (const [target, expected, requests] of [
      [transient, undefined, 2],
      [permanent, 'HTTP 400', 1],
    ] as const) {
      const exporter = exporterFor({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${target.base}/v1/traces` });
      const started = performance.now();
      expect(await exporter.export([span()], live())).toBe(expected);
      const took = performance.now() - started;
      await exporter.shutdown();
      expect(target.received).toHaveLength(requests);
      // The 503 asked for a second's pause (the exporter's own first backoff is at most 250 ms).
      if (requests === 2) expect(took).toBeGreaterThanOrEqual(950);
    }
  });

  it('stops a hanging export when the tracer gives up on it', async () => {
    const hanging = await receiver(() => {});
    const exporter = exporterFor({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${hanging.base}/v1/traces` });
    const cancel = new AbortController();
    const started = performance.now();
    setTimeout(() => cancel.abort(), 100);
    expect(await exporter.export([span()], cancel.signal)).toBe('timeout');
    // Long before the exporter's own 10 s, and with no second attempt.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(hanging.received).toHaveLength(1);
    await exporter.shutdown();
  });

  it('gives up on a dead or hanging collector within its timeout, naming the failure without its message', async () => {
    const dead = await receiver();
    const deadUrl = `${dead.base}/v1/traces`;
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
    const hanging = await receiver(() => {});
    for (const [endpoint, expected] of [
      [deadUrl, 'ECONNREFUSED'],
      [`${hanging.base}/v1/traces`, /^timeout$/],
    ] as const) {
      const exporter = exporterFor({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_TIMEOUT: '600',
      });
      const started = performance.now();
      const failure = await exporter.export([span()], live());
      expect(performance.now() - started).toBeLessThan(1500);
      expect(failure).toMatch(expected);
      await exporter.shutdown();
    }
  });
});
