/**
 * The tracer behind the traces (src/ops/tracer.ts): what an operator sets with the standard OTel variables does what
 * it says (sampling, batch sizes and delays, limits, resource), no span is lost on shutdown, a collector that fails
 * or hangs costs spans but never a secret in the log, and a span left out by sampling still carries its trace on.
 * The exporter here is a recording one; the OTLP/HTTP path is covered end to end in tracing.test.ts.
 */
import { SpanKind, TraceFlags } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { epochNanos } from '../../src/ops/otlp.js';
import {
  type FinishedSpan,
  parentBased,
  ratioSampler,
  type SpanExporter,
  Tracer,
  tracerSettings,
} from '../../src/ops/tracer.js';
import { startOperation, startTracing, stopTracing, withUpstreamSpan } from '../../src/ops/tracing.js';

/** Records each batch; `answer` decides each export's result (taken by default), `hang` never answers. */
function recordingExporter(answer: () => string | undefined | 'hang' | Error = () => undefined) {
  const batches: FinishedSpan[][] = [];
  let shutdowns = 0;
  let cancelled = 0;
  const exporter: SpanExporter = {
    export(spans, cancel) {
      batches.push([...spans]);
      const result = answer();
      // A hanging export ends only when the tracer gives up on it.
      if (result === 'hang')
        return new Promise((resolve) =>
          cancel.addEventListener('abort', () => {
            cancelled++;
            resolve('cancelled');
          }),
        );
      return new Promise((resolve, reject) =>
        setImmediate(() => (result instanceof Error ? reject(result) : resolve(result))),
      );
    },
    async shutdown() {
      shutdowns++;
    },
  };
  return { exporter, batches, shutdowns: () => shutdowns, cancelled: () => cancelled };
}

/** Waits (up to 2 s) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!done() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

const settings = (env: Record<string, string> = {}) => tracerSettings(env).settings;

/** A resource's attributes, with those naming what produced the telemetry. */
const sdk = (attributes: Record<string, string>) => ({
  ...attributes,
  'telemetry.sdk.name': 'pamgraph',
  'telemetry.sdk.language': 'nodejs',
});

const span = (tracer: Tracer, name = 'op', parent?: Parameters<Tracer['startSpan']>[0]['parent']) =>
  tracer.startSpan({ name, kind: SpanKind.INTERNAL, parent, attributes: { a: 'b' } });

const remote = (sampled: boolean) => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
  isRemote: true,
});

afterEach(async () => {
  vi.useRealTimers();
  await stopTracing();
});

describe('the tracer', () => {
  it('exports full batches at once and the rest after the schedule delay, every span once', async () => {
    const { exporter, batches } = recordingExporter();
    const tracer = new Tracer(
      settings({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4', OTEL_BSP_SCHEDULE_DELAY: '200' }),
      exporter,
    );
    for (let i = 0; i < 10; i++) span(tracer, `s${i}`).end();
    const ended = performance.now();
    // Two full batches go at once; the last two wait for the delay.
    await until(() => batches.length >= 2);
    expect(batches.map((b) => b.length)).toEqual([4, 4]);
    await until(() => batches.length >= 3);
    expect(performance.now() - ended).toBeGreaterThanOrEqual(150);
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().map((s) => s.name)).toEqual([...Array(10).keys()].map((i) => `s${i}`));
    await tracer.shutdown();
  });

  it('sends what is queued on shutdown, then stops recording and lets the exporter go', async () => {
    const { exporter, batches, shutdowns } = recordingExporter();
    const tracer = new Tracer(settings({ OTEL_BSP_SCHEDULE_DELAY: '60000' }), exporter);
    span(tracer, 'first').end();
    const open = span(tracer, 'open');
    await tracer.shutdown();
    expect(batches.flat().map((s) => s.name)).toEqual(['first']);
    expect(shutdowns()).toBe(1);
    open.end();
    span(tracer, 'late').end();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches.flat().map((s) => s.name)).toEqual(['first']);
  });

  it('drops spans past OTEL_BSP_MAX_QUEUE_SIZE while the collector hangs, and reports them without its words', async () => {
    const troubles: Array<[number, string]> = [];
    const { exporter, batches, cancelled } = recordingExporter(() => 'hang');
    const tracer = new Tracer(
      settings({
        OTEL_BSP_MAX_QUEUE_SIZE: '5',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2',
        OTEL_BSP_EXPORT_TIMEOUT: '100',
      }),
      exporter,
      (lost, reason) => troubles.push([lost, reason]),
    );
    // The first batch of 2 hangs in export; 5 more fill the queue; the last 3 are dropped.
    for (let i = 0; i < 10; i++) span(tracer).end();
    expect(batches.map((b) => b.length)).toEqual([2]);
    expect(troubles).toEqual([
      [1, 'queue full'],
      [1, 'queue full'],
      [1, 'queue full'],
    ]);
    // The hung export times out: its 2 spans are lost, the exporter is told to stop, and the queue moves on.
    await until(() => batches.length > 1);
    expect(troubles).toContainEqual([2, 'timeout']);
    expect(cancelled()).toBe(1);
    // Shutdown gives each remaining batch its timeout, no more: 2 + 1 spans, then done.
    await tracer.shutdown();
    expect(batches.map((b) => b.length)).toEqual([2, 2, 2, 1]);
    expect(cancelled()).toBe(4);
  });

  it('reports a failed export by the reason its exporter gives, or an exception by its class, never its message', async () => {
    const troubles: Array<[number, string]> = [];
    let n = 0;
    const { exporter } = recordingExporter(() =>
      n++ === 0
        ? 'HTTP 401'
        : new TypeError('fetch failed: https://collector.example/v1/traces?token=hunter2'),
    );
    const tracer = new Tracer(settings({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '1' }), exporter, (lost, reason) =>
      troubles.push([lost, reason]),
    );
    span(tracer).end();
    await new Promise((resolve) => setTimeout(resolve, 20));
    span(tracer).end();
    await tracer.shutdown();
    expect(troubles).toEqual([
      [1, 'HTTP 401'],
      [1, 'TypeError'],
    ]);
  });

  it('keeps at most OTEL_SPAN_LINK_COUNT_LIMIT links and cuts string attributes to OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', async () => {
    const { exporter, batches } = recordingExporter();
    const tracer = new Tracer(
      settings({ OTEL_SPAN_LINK_COUNT_LIMIT: '2', OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '5' }),
      exporter,
    );
    const sync = tracer.startSpan({
      name: 'sync',
      kind: SpanKind.INTERNAL,
      parent: undefined,
      attributes: { long: 'abcdefghij', n: 12345678 },
    });
    for (let i = 0; i < 4; i++) sync.link(span(tracer).context);
    sync.setAttribute('list', ['abcdefgh', 'xy']);
    sync.end();
    await tracer.shutdown();
    const exported = batches.flat().find((s) => s.name === 'sync');
    expect(exported?.links).toHaveLength(2);
    expect(exported?.droppedLinksCount).toBe(2);
    expect(exported?.attributes).toEqual({ long: 'abcde', n: 12345678, list: ['abcde', 'xy'] });
  });

  it('gives each span its times, its parent and a fresh valid span id', async () => {
    const { exporter, batches } = recordingExporter();
    const tracer = new Tracer(settings(), exporter);
    const before = Date.now();
    const parent = span(tracer, 'parent', remote(true));
    const child = span(tracer, 'child', parent.context);
    await new Promise((resolve) => setTimeout(resolve, 15));
    child.end();
    parent.end();
    await tracer.shutdown();
    const [c, p] = batches.flat();
    expect(p?.context.traceId).toBe(remote(true).traceId);
    expect(p?.parent?.spanId).toBe(remote(true).spanId);
    expect(c?.parent?.spanId).toBe(p?.context.spanId);
    expect(c?.context.traceId).toBe(p?.context.traceId);
    expect(new Set([c?.context.spanId, p?.context.spanId, remote(true).spanId]).size).toBe(3);
    expect(c?.context.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect((c?.endMs ?? 0) - (c?.startMs ?? 0)).toBeGreaterThanOrEqual(10);
    // As OTLP sends them: nanoseconds since the epoch (the performance clock may drift from Date.now by a little).
    const nanos = BigInt(epochNanos(c?.startMs ?? 0));
    expect(Number(nanos / 1_000_000n) - before).toBeLessThan(1000);
    expect(Number(nanos / 1_000_000n) - before).toBeGreaterThan(-1000);
    expect(BigInt(epochNanos(c?.endMs ?? 0)) - nanos).toBeGreaterThanOrEqual(10_000_000n);
  });
});

describe('sampling', () => {
  it('follows a parent’s decision and samples roots by OTEL_TRACES_SAMPLER_ARG, by trace id', () => {
    const sampler = tracerSettings({
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    }).settings.sampler;
    expect(sampler(remote(true), remote(true).traceId)).toBe(true);
    expect(sampler(remote(false), remote(false).traceId)).toBe(false);
    let sampled = 0;
    const ids = Array.from({ length: 4000 }, (_, i) =>
      (BigInt(i) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '0').slice(-32),
    );
    for (const id of ids) if (sampler(undefined, id)) sampled++;
    expect(sampled / ids.length).toBeGreaterThan(0.2);
    expect(sampled / ids.length).toBeLessThan(0.3);
    // A trace kept at a lower ratio is kept at every higher one (services sampling at different rates agree).
    const tenth = ratioSampler(0.1);
    const kept = ids.filter((id) => tenth(undefined, id));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((id) => sampler(undefined, id))).toBe(true);
    expect(ratioSampler(0)(undefined, ids[1] as string)).toBe(false);
    expect(parentBased(ratioSampler(1))(undefined, ids[1] as string)).toBe(true);
  });

  it('warns of each setting it cannot use and falls back to the default', () => {
    const { settings: s, warnings } = tracerSettings({
      OTEL_TRACES_SAMPLER: 'jaeger_remote',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_BSP_MAX_QUEUE_SIZE: 'lots',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4096',
      OTEL_RESOURCE_ATTRIBUTES: 'team=net%20ops,broken,deployment.environment=prod',
      OTEL_SERVICE_NAME: 'gw-eu',
    });
    expect(warnings).toHaveLength(4);
    // A delay past what a Node timer takes would fire at once: refused.
    expect(tracerSettings({ OTEL_BSP_SCHEDULE_DELAY: '3000000000' }).settings.scheduleDelayMs).toBe(5000);
    expect(warnings.join('\n')).toMatch(/OTEL_TRACES_SAMPLER="jaeger_remote" is not supported/);
    expect(warnings.join('\n')).toMatch(/OTEL_BSP_MAX_QUEUE_SIZE must be an integer/);
    expect(warnings.join('\n')).toMatch(/OTEL_BSP_MAX_EXPORT_BATCH_SIZE is larger/);
    expect(warnings.join('\n')).toMatch(/OTEL_RESOURCE_ATTRIBUTES has an entry/);
    expect(s.maxQueueSize).toBe(2048);
    expect(s.maxExportBatchSize).toBe(2048);
    // One bad entry, and none of them is used.
    expect(s.resource).toEqual(sdk({ 'service.name': 'gw-eu' }));
    expect(
      tracerSettings({ OTEL_RESOURCE_ATTRIBUTES: 'team=net%20ops,service.name=audit', OTEL_SERVICE_NAME: '' })
        .settings.resource,
    ).toEqual(sdk({ team: 'net ops', 'service.name': 'audit' }));
    // The default sampler: a parent's decision, else always.
    expect(s.sampler(remote(false), remote(false).traceId)).toBe(false);
    expect(s.sampler(undefined, remote(false).traceId)).toBe(true);
    // An unusable ratio is 1 (and is warned of, above, only where a ratio sampler reads it).
    expect(
      tracerSettings({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'x' }).warnings,
    ).toEqual(['OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1; using 1.']);
    expect(tracerSettings({ OTEL_SERVICE_NAME: ' ' }).settings.resource).toEqual(
      sdk({ 'service.name': 'pamgraph' }),
    );
  });

  it('passes an unsampled caller’s trace on with its sampled flag off, and records nothing of it', async () => {
    const { exporter, batches } = recordingExporter();
    const warnings: string[] = [];
    expect(await startTracing({}, (message) => warnings.push(message), exporter)).toBe(true);
    const sent: Array<string | undefined> = [];
    for (const flags of ['00', '01']) {
      const operation = startOperation(
        `00-${remote(true).traceId}-${remote(true).spanId}-${flags}`,
        'Q',
        'query',
      );
      await withUpstreamSpan({ upstream: 'pam', method: 'GET', route: '/r' }, operation.parent, async (s) => {
        sent.push(s.traceparent);
      });
      operation.end([]);
    }
    await stopTracing();
    expect(sent[0]).toMatch(new RegExp(`^00-${remote(true).traceId}-[0-9a-f]{16}-00$`));
    expect(sent[1]).toMatch(new RegExp(`^00-${remote(true).traceId}-[0-9a-f]{16}-01$`));
    // Only the sampled caller's operation and its upstream call were recorded.
    expect(batches.flat().map((s) => s.name)).toEqual(['GET /r', 'query Q']);
    expect(warnings).toEqual([]);
  });
});
