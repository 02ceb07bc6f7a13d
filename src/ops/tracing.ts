/**
 * OpenTelemetry traces (issue 13 §4), with manual spans: one per operation, one per upstream request, one per view
 * sync. Tracing starts only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set,
 * following the standard OTel variables (`OTEL_SDK_DISABLED`, `OTEL_TRACES_EXPORTER=none`, and those the tracer reads,
 * src/ops/tracer.ts); only then is the OTLP/HTTP exporter loaded. Otherwise every function here costs a branch.
 *
 * - **Operation spans** continue a caller's W3C `traceparent`; the upstream requests made for the operation are its
 *   children and carry their own `traceparent` upstream. Without tracing, a valid caller's `traceparent` is passed
 *   on unchanged to the operation's upstream requests, so upstream logs still join the caller's trace.
 * - **Shared work** (view syncs, credential checks, lists shared by a scope) serves many operations, so it never runs
 *   in one operation's trace and never sends a caller's `traceparent`: a view sync is a root span of its own, linked
 *   to each operation that waited for it.
 *
 * The trace travels explicitly, not in an AsyncLocalStorage: an operation's `TraceHolder` is part of its upstream
 * scope (src/upstream/scope.ts) and reaches the views it reads, and a sync's span is found from the abort signal its
 * upstream calls carry. (On Node 20, AsyncLocalStorage turns on promise hooks for every promise of the process, which
 * cost more than a tenth of the throughput; issue 13's bench.) No global OTel context manager is registered.
 */
import { type SpanContext, SpanKind, TraceFlags } from '@opentelemetry/api';
import type { PlanRecorder } from './plan.js';
import { type ExportTrouble, type SpanExporter, Tracer, type TraceSpan, tracerSettings } from './tracer.js';

/** The parent of an upstream call: an operation's or a sync's span, or (without tracing) a caller's `traceparent`. */
export interface CallTrace {
  span?: TraceSpan | undefined;
  /** Without tracing: the caller's valid `traceparent`, passed on as it is. */
  traceparent?: string | undefined;
}

/**
 * What one operation's upstream calls and view reads report to: filled in when the operation starts executing
 * (src/server.ts), empty for shared work and subscription events.
 */
export interface TraceHolder {
  /** The parent of the operation's upstream calls. */
  parent?: CallTrace | undefined;
  /** The operation asked for its call plan: the view reads go here. */
  plan?: PlanRecorder | undefined;
}

let tracer: Tracer | undefined;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A valid W3C `traceparent` (version 00, non-zero ids), else undefined. */
export function parseTraceparent(header: string | null | undefined): SpanContext | undefined {
  const match = TRACEPARENT.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
}

const traceparentOf = (context: SpanContext) =>
  `00-${context.traceId}-${context.spanId}-0${context.traceFlags & TraceFlags.SAMPLED}`;

/**
 * Starts tracing when the environment asks for traces: reads the tracer's settings (src/ops/tracer.ts) and the OTLP
 * exporter's (src/ops/otlp.ts). `warn` gets each setting that could not be used, and now and then how many spans could
 * not be exported and why. `exporter` replaces the OTLP one (tests).
 */
export async function startTracing(
  env: NodeJS.ProcessEnv,
  warn: (message: string, fields?: Record<string, unknown>) => void = () => {},
  exporter?: SpanExporter,
): Promise<boolean> {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  if (!exporter && (!endpoint || disabled || env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none'))
    return false;
  const { settings, warnings } = tracerSettings(env);
  if (!exporter) {
    const { otlpExporter, otlpSettings } = await import('./otlp.js');
    const otlp = otlpSettings(env, warnings);
    if (otlp) exporter = otlpExporter(otlp, settings.resource);
  }
  for (const warning of warnings) warn(warning);
  if (!exporter) return false;
  await stopTracing();
  const trouble = exportTrouble(warn);
  tracer = new Tracer(settings, exporter, trouble.lost);
  reportLost = trouble.report;
  return true;
}

/** What the tracer lost since the last warning, told when tracing stops. */
let reportLost: (() => void) | undefined;

/**
 * At most one warning a minute, with the spans lost since the last one and the latest reason; what is lost after
 * the last warning is told by `report` (when tracing stops).
 */
function exportTrouble(warn: (message: string, fields?: Record<string, unknown>) => void): {
  lost: ExportTrouble;
  report: () => void;
} {
  let lost = 0;
  let why = '';
  let warnedAt = Number.NEGATIVE_INFINITY;
  const report = () => {
    if (lost === 0) return;
    warn('traces could not be exported', { spansLost: lost, reason: why });
    lost = 0;
  };
  return {
    lost(count, reason) {
      lost += count;
      why = reason;
      const now = performance.now();
      if (now - warnedAt < 60_000) return;
      warnedAt = now;
      report();
    },
    report,
  };
}

/** Sends what is pending and stops (the process is going away). */
export async function stopTracing(timeoutMs = 2000): Promise<void> {
  const stopping = tracer;
  const report = reportLost;
  tracer = undefined;
  reportLost = undefined;
  if (!stopping) return;
  // A collector that does not answer must not hold the process past its grace period.
  await Promise.race([
    stopping.shutdown().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
  report?.();
}

export interface OperationTrace {
  /** The parent of the operation's upstream calls; undefined when there is nothing to pass on. */
  parent: CallTrace | undefined;
  /** Its trace id (tracing on, or a caller's `traceparent`), for the access log. */
  traceId: string | undefined;
  end(errorCodes: readonly string[]): void;
}

const UNTRACED: OperationTrace = { parent: undefined, traceId: undefined, end: () => {} };

/** Starts an operation's span (a child of the caller's `traceparent` when valid). */
export function startOperation(
  traceparent: string | null,
  name: string | null,
  type: string,
): OperationTrace {
  const caller = parseTraceparent(traceparent);
  if (!tracer) {
    if (!caller) return UNTRACED;
    return { parent: { traceparent: traceparentOf(caller) }, traceId: caller.traceId, end: () => {} };
  }
  const span = tracer.startSpan({
    name: `${type} ${name ?? 'anonymous'}`,
    kind: SpanKind.SERVER,
    parent: caller,
    attributes: { 'graphql.operation.name': name ?? 'anonymous', 'graphql.operation.type': type },
  });
  return {
    parent: { span },
    traceId: span.context.traceId,
    end(errorCodes) {
      if (errorCodes.length > 0) {
        span.setAttribute('pamgraph.error_codes', [...errorCodes]);
        span.fail(errorCodes[0]);
      }
      span.end();
    },
  };
}

export interface UpstreamSpan {
  /** The `traceparent` to send with the request, if any. */
  traceparent: string | undefined;
  /** After each attempt: its status (null without an answer) and how many attempts it took. */
  attempt(status: number | null, attempt: number): void;
}

const NO_SPAN = { traceparent: undefined, attempt: () => {} };

/** Runs one upstream call (all its attempts) in a span, a child of `parent` (an operation's or a sync's). */
export async function withUpstreamSpan<T>(
  info: { upstream: string; method: string; route: string },
  parent: CallTrace | undefined,
  call: (span: UpstreamSpan) => Promise<T>,
): Promise<T> {
  if (!tracer) {
    return call(parent?.traceparent ? { traceparent: parent.traceparent, attempt: () => {} } : NO_SPAN);
  }
  const span = tracer.startSpan({
    name: `${info.method} ${info.route}`,
    kind: SpanKind.CLIENT,
    parent: parent?.span?.context,
    attributes: {
      'http.request.method': info.method,
      'url.template': info.route,
      'pamgraph.upstream': info.upstream,
    },
  });
  try {
    return await call({
      traceparent: traceparentOf(span.context),
      attempt(status, attempt) {
        if (status !== null) span.setAttribute('http.response.status_code', status);
        span.setAttribute('pamgraph.retries', attempt - 1);
      },
    });
  } catch (error) {
    span.fail(error instanceof Error ? error.name : 'error');
    throw error;
  } finally {
    span.end();
  }
}

export interface SyncSpan {
  /** An operation waits for this sync: link its span (if it has one). */
  link(waiting: TraceHolder | undefined): void;
}

const NO_SYNC_SPAN: SyncSpan = { link: () => {} };

/** The spans of running syncs, by the abort signal their upstream calls carry. */
const syncSpans = new WeakMap<AbortSignal, CallTrace>();

/** The span of the sync whose calls carry `signal`, as their parent; undefined when none (or tracing is off). */
export function syncTraceOf(signal: AbortSignal): CallTrace | undefined {
  return tracer ? syncSpans.get(signal) : undefined;
}

/**
 * Runs a view sync as a root span of its own (shared work), linked to the operations that wait for it. The calls
 * the sync sends with `signal` are its children (see `syncTraceOf`).
 */
export function withSyncSpan<T>(
  attributes: Record<string, string>,
  signal: AbortSignal,
  sync: (span: SyncSpan) => Promise<T>,
): Promise<T> {
  if (!tracer) return sync(NO_SYNC_SPAN);
  const span = tracer.startSpan({
    name: 'view sync',
    kind: SpanKind.INTERNAL,
    parent: undefined,
    attributes,
  });
  syncSpans.set(signal, { span });
  // Ended spans take no links, and the linked operations are let go with the sync.
  let linked: Set<TraceSpan> | undefined = new Set();
  const handle: SyncSpan = {
    link(waiting) {
      const other = waiting?.parent?.span;
      if (!linked || !other || other === span || linked.has(other)) return;
      linked.add(other);
      span.link(other.context);
    },
  };
  const end = () => {
    linked = undefined;
    span.end();
  };
  let running: Promise<T>;
  try {
    running = sync(handle);
  } catch (error) {
    running = Promise.reject(error);
  }
  return running.then(
    (value) => {
      end();
      return value;
    },
    (error: unknown) => {
      span.fail();
      end();
      throw error;
    },
  );
}
