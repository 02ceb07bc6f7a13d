/**
 * OpenTelemetry traces (issue 13 §4), with manual spans: one per operation, one per upstream request, one per view
 * sync. The SDK and the OTLP/HTTP exporter are loaded only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, following the standard OTel variables (`OTEL_SERVICE_NAME`,
 * `OTEL_SDK_DISABLED`, `OTEL_TRACES_EXPORTER=none`, `OTEL_BSP_*`); otherwise nothing is loaded and every function here
 * costs a branch.
 *
 * - **Operation spans** continue a caller's W3C `traceparent`; the upstream requests made for the operation are its
 *   children and carry their own `traceparent` upstream. Without tracing, a valid caller's `traceparent` is passed
 *   on unchanged to the operation's upstream requests, so upstream logs still join the caller's trace.
 * - **Shared work** (view syncs, credential checks, lists shared by a scope) serves many operations, so it never runs
 *   in one operation's trace and never sends a caller's `traceparent`: a view sync is a root span of its own, linked
 *   to each operation that waited for it.
 *
 * The current operation (or shared work) is tracked with an AsyncLocalStorage of this module's own; no global OTel
 * context manager is registered.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { outsidePlan } from './plan.js';

interface Store {
  /** The operation's span, or the shared work's. */
  span?: Span | undefined;
  /** Without tracing: the caller's valid `traceparent`, passed on as it is. */
  callerTraceparent?: string | undefined;
  /** Shared work: nothing of an operation's may leak into it. */
  shared?: boolean;
}

const storage = new AsyncLocalStorage<Store>();
let tracer: Tracer | undefined;
let shutdown: (() => Promise<void>) | undefined;

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

/** Loads the SDK and the exporter when the environment asks for traces. */
export async function startTracing(env: NodeJS.ProcessEnv): Promise<boolean> {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  if (!endpoint?.trim() || disabled || env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none')
    return false;
  const [{ BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || 'pamgraph' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  tracer = provider.getTracer('pamgraph');
  shutdown = () => provider.shutdown();
  return true;
}

/** Sends what is pending and stops (the process is going away). */
export async function stopTracing(timeoutMs = 2000): Promise<void> {
  const stop = shutdown;
  tracer = undefined;
  shutdown = undefined;
  if (!stop) return;
  // A collector that does not answer must not hold the process past its grace period.
  await Promise.race([
    stop().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
}

export interface OperationTrace {
  /** Runs the operation's execution within its trace. */
  run<T>(execute: () => T): T;
  /** Its trace id (tracing on, or a caller's `traceparent`), for the access log. */
  traceId: string | undefined;
  end(errorCodes: readonly string[]): void;
}

/** Starts an operation's span (a child of the caller's `traceparent` when valid). */
export function startOperation(
  traceparent: string | null,
  name: string | null,
  type: string,
): OperationTrace {
  const caller = parseTraceparent(traceparent);
  if (!tracer) {
    if (!caller) return { run: (execute) => execute(), traceId: undefined, end: () => {} };
    const store = { callerTraceparent: traceparentOf(caller) };
    return { run: (execute) => storage.run(store, execute), traceId: caller.traceId, end: () => {} };
  }
  const parent = caller ? trace.setSpanContext(ROOT_CONTEXT, caller) : ROOT_CONTEXT;
  const span = tracer.startSpan(
    `${type} ${name ?? 'anonymous'}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'graphql.operation.name': name ?? 'anonymous', 'graphql.operation.type': type },
    },
    parent,
  );
  const store = { span };
  return {
    run: (execute) => storage.run(store, execute),
    traceId: span.spanContext().traceId,
    end(errorCodes) {
      if (errorCodes.length > 0) {
        span.setAttribute('pamgraph.error_codes', [...errorCodes]);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes[0] });
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

/** Runs one upstream call (all its attempts) in a span, a child of the current operation or shared work. */
export async function withUpstreamSpan<T>(
  info: { upstream: string; method: string; route: string },
  call: (span: UpstreamSpan) => Promise<T>,
): Promise<T> {
  const store = storage.getStore();
  if (!tracer) {
    const traceparent = store?.shared ? undefined : store?.callerTraceparent;
    return call({ traceparent, attempt: () => {} });
  }
  const parent = store?.span ? trace.setSpan(ROOT_CONTEXT, store.span) : ROOT_CONTEXT;
  const span = tracer.startSpan(
    `${info.method} ${info.route}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': info.method,
        'url.template': info.route,
        'pamgraph.upstream': info.upstream,
      },
    },
    parent,
  );
  try {
    return await call({
      traceparent: traceparentOf(span.spanContext()),
      attempt(status, attempt) {
        if (status !== null) span.setAttribute('http.response.status_code', status);
        span.setAttribute('pamgraph.retries', attempt - 1);
      },
    });
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Runs shared work away from the operation that happened to start it: no `traceparent` of that caller, no span of
 * its trace. Work already shared stays in its own span.
 */
export function sharedWork<T>(work: () => T): T {
  const store = storage.getStore();
  if (!store || store.shared) return outsidePlan(work);
  return storage.run({ shared: true }, () => outsidePlan(work));
}

export interface SyncSpan {
  /** The operation now running (if any) waits for this sync: link it. */
  linkCurrent(): void;
}

/** Runs a view sync as a root span of its own (shared work), linked to the operations that wait for it. */
export function withSyncSpan<T>(
  attributes: Record<string, string>,
  sync: (span: SyncSpan) => Promise<T>,
): Promise<T> {
  if (!tracer) return sharedWork(() => sync({ linkCurrent: () => {} }));
  const span = tracer.startSpan(
    'view sync',
    { kind: SpanKind.INTERNAL, attributes, root: true },
    ROOT_CONTEXT,
  );
  const handle: SyncSpan = {
    linkCurrent() {
      const current = storage.getStore();
      if (current?.span && !current.shared && current.span !== span)
        span.addLink({ context: current.span.spanContext() });
    },
  };
  return storage.run({ span, shared: true }, () =>
    sync(handle).then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        throw error;
      },
    ),
  );
}
