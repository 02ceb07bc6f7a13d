/**
 * The tracer behind src/ops/tracing.ts. Spans are plain records, sampled and batched the way the standard OTel
 * variables describe (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_BSP_*`, `OTEL_SPAN_LINK_COUNT_LIMIT`,
 * `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`), and handed in batches to
 * an exporter: in production the OTLP/HTTP one of src/ops/otlp.ts.
 *
 * Why not the SDK's tracer provider: pamgraph makes a handful of manual spans and needs none of the SDK's context
 * machinery, span processor chain, self-metrics or resource detection. What is left here is what the spans need: ids,
 * times, attributes, links, status, a sampling decision and a bounded queue that a slow collector cannot grow. With
 * the exporter replaced by one that sends nothing, this tracer measured within about 1 % of a gateway without traces
 * (README, "Observability's cost").
 */
import { randomFillSync } from 'node:crypto';
import { type SpanContext, type SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';

type AttributeValue = string | number | boolean | string[];
export type Attributes = Record<string, AttributeValue>;

/** An ended span, as the exporter gets it. Times are `performance.now()` readings (src/ops/otlp.ts makes them epoch). */
export interface FinishedSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly context: SpanContext;
  readonly parent: SpanContext | undefined;
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes: Attributes;
  readonly links: readonly SpanContext[];
  readonly droppedLinksCount: number;
  readonly status: { code: SpanStatusCode; message?: string };
}

/**
 * Sends a batch: resolves to undefined when it was taken, else to a short reason (never a message from outside).
 * `cancel` aborts when the tracer has given up on the batch (OTEL_BSP_EXPORT_TIMEOUT).
 */
export interface SpanExporter {
  export(spans: readonly FinishedSpan[], cancel: AbortSignal): Promise<string | undefined>;
  shutdown(): Promise<void>;
}

/** A span as src/ops/tracing.ts uses it; a non-recording one only carries its context on. */
export interface TraceSpan {
  readonly context: SpanContext;
  setAttribute(key: string, value: AttributeValue): void;
  /** Marks the span failed, with a short reason (an error code or name, never a message from outside). */
  fail(reason?: string): void;
  link(context: SpanContext): void;
  end(): void;
}

export interface TracerSettings {
  sampler: Sampler;
  maxQueueSize: number;
  maxExportBatchSize: number;
  scheduleDelayMs: number;
  exportTimeoutMs: number;
  linkCountLimit: number;
  attributeValueLengthLimit: number;
  resource: Attributes;
}

/** Decides whether a new span records, from its parent (undefined for a root) and its trace id. */
export type Sampler = (parent: SpanContext | undefined, traceId: string) => boolean;

// ---- ids ----

const idPool = Buffer.allocUnsafe(4096);
let idAt = idPool.length;
const ZERO_SPAN_ID = '0'.repeat(16);
const ZERO_TRACE_ID = '0'.repeat(32);

/** `bytes` random bytes as hex, never all zero (an invalid id); from a pool refilled 4 KB at a time. */
function randomId(bytes: 8 | 16): string {
  for (;;) {
    if (idAt + bytes > idPool.length) {
      randomFillSync(idPool);
      idAt = 0;
    }
    const id = idPool.toString('hex', idAt, idAt + bytes);
    idAt += bytes;
    if (id !== ZERO_SPAN_ID && id !== ZERO_TRACE_ID) return id;
  }
}

// ---- spans ----

class RecordedSpan implements TraceSpan, FinishedSpan {
  readonly startMs = performance.now();
  endMs = Number.NaN;
  status: { code: SpanStatusCode; message?: string } = { code: SpanStatusCode.UNSET };
  readonly links: SpanContext[] = [];
  droppedLinksCount = 0;
  #ended = false;

  constructor(
    readonly name: string,
    readonly kind: SpanKind,
    readonly context: SpanContext,
    readonly parent: SpanContext | undefined,
    readonly attributes: Attributes,
    private readonly tracer: Tracer,
  ) {
    const limit = tracer.settings.attributeValueLengthLimit;
    if (limit !== Number.POSITIVE_INFINITY)
      for (const key in attributes) attributes[key] = truncate(attributes[key] as AttributeValue, limit);
  }

  setAttribute(key: string, value: AttributeValue): void {
    if (!this.#ended) this.attributes[key] = truncate(value, this.tracer.settings.attributeValueLengthLimit);
  }

  fail(reason?: string): void {
    if (this.#ended) return;
    this.status =
      reason === undefined ? { code: SpanStatusCode.ERROR } : { code: SpanStatusCode.ERROR, message: reason };
  }

  link(context: SpanContext): void {
    if (this.#ended) return;
    if (this.links.length >= this.tracer.settings.linkCountLimit) this.droppedLinksCount++;
    else this.links.push(context);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.endMs = performance.now();
    this.tracer.finished(this);
  }
}

function truncate(value: AttributeValue, limit: number): AttributeValue {
  if (limit === Number.POSITIVE_INFINITY) return value;
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value)) return value.map((item) => (item.length > limit ? item.slice(0, limit) : item));
  return value;
}

/** A span the sampler left out: its context goes on (so that a `traceparent` still joins the trace), nothing else. */
class UnrecordedSpan implements TraceSpan {
  constructor(readonly context: SpanContext) {}
  setAttribute(): void {}
  fail(): void {}
  link(): void {}
  end(): void {}
}

// ---- the tracer and its batches ----

export interface NewSpan {
  name: string;
  kind: SpanKind;
  /** The parent: a caller's remote context or a local span's; undefined for a root. */
  parent: SpanContext | undefined;
  attributes: Attributes;
}

/** What went wrong with the export, for one warning now and then (never a message from the exporter or collector). */
export type ExportTrouble = (lost: number, reason: string) => void;

export class Tracer {
  #queue: RecordedSpan[] = [];
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #stopped = false;

  constructor(
    readonly settings: TracerSettings,
    private readonly exporter: SpanExporter,
    private readonly trouble: ExportTrouble = () => {},
  ) {}

  startSpan(span: NewSpan): TraceSpan {
    const parent = span.parent;
    const traceId = parent?.traceId ?? randomId(16);
    const sampled = this.settings.sampler(parent, traceId);
    const context: SpanContext = {
      traceId,
      spanId: randomId(8),
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    };
    if (!sampled || this.#stopped) return new UnrecordedSpan(context);
    return new RecordedSpan(span.name, span.kind, context, parent, span.attributes, this);
  }

  /** A recorded span ended: queued for the next batch, or dropped (and counted) when the queue is full. */
  finished(span: RecordedSpan): void {
    if (this.#stopped) return;
    if (this.#queue.length >= this.settings.maxQueueSize) {
      this.trouble(1, 'queue full');
      return;
    }
    this.#queue.push(span);
    if (this.#queue.length >= this.settings.maxExportBatchSize) this.#drain(false);
    else if (!this.#timer && !this.#draining) this.#schedule();
  }

  /** Exports what is queued, then lets the exporter go. Spans ended afterwards are not recorded. */
  async shutdown(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#draining;
    await this.#drainNow(true);
    await this.exporter.shutdown();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain(true);
    }, this.settings.scheduleDelayMs);
    this.#timer.unref();
  }

  /** Starts exporting unless an export is running (which goes on with what it finds queued when it is done). */
  #drain(all: boolean): void {
    if (this.#draining) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#draining = this.#drainNow(all).finally(() => {
      this.#draining = undefined;
      if (this.#queue.length > 0 && !this.#stopped) this.#schedule();
    });
  }

  /** One batch after the other: while a full batch is queued, or (`all`) until the queue is empty. */
  async #drainNow(all: boolean): Promise<void> {
    while (this.#queue.length > 0 && (all || this.#queue.length >= this.settings.maxExportBatchSize)) {
      await this.#export(this.#queue.splice(0, this.settings.maxExportBatchSize));
    }
  }

  /** One batch, given at most OTEL_BSP_EXPORT_TIMEOUT: a collector that hangs costs that batch, not the queue. */
  async #export(batch: RecordedSpan[]): Promise<void> {
    let timeout: NodeJS.Timeout | undefined;
    const cancel = new AbortController();
    const failure = await Promise.race([
      this.exporter
        .export(batch, cancel.signal)
        .catch((error: unknown) => (error instanceof Error ? error.name : 'error')),
      new Promise<string>((resolve) => {
        timeout = setTimeout(() => {
          resolve('timeout');
          // The exporter stops too: a collector that hangs must not collect requests in flight.
          cancel.abort();
        }, this.settings.exportTimeoutMs);
        timeout.unref();
      }),
    ]);
    clearTimeout(timeout);
    if (failure !== undefined) this.trouble(batch.length, failure);
  }
}

// ---- settings from the standard variables ----

/** The longest delay a Node timer takes (a longer one fires at once). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The tracer's settings from the environment, with a warning for each value it could not use (the default is used
 * instead, as the OTel specification asks).
 */
export function tracerSettings(env: NodeJS.ProcessEnv): { settings: TracerSettings; warnings: string[] } {
  const warnings: string[] = [];
  const integer = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= MAX_TIMER_MS) return value;
    warnings.push(`${name} must be an integer from ${min} to ${MAX_TIMER_MS}; using ${fallback}.`);
    return fallback;
  };
  const maxQueueSize = integer('OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1);
  let maxExportBatchSize = integer('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1);
  if (maxExportBatchSize > maxQueueSize) {
    warnings.push(
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE is larger than OTEL_BSP_MAX_QUEUE_SIZE; using the queue size.',
    );
    maxExportBatchSize = maxQueueSize;
  }
  const lengthLimit = env.OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT?.trim()
    ? integer('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', -1, 0)
    : integer('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', -1, 0);
  return {
    settings: {
      sampler: samplerFrom(env, warnings),
      maxQueueSize,
      maxExportBatchSize,
      scheduleDelayMs: integer('OTEL_BSP_SCHEDULE_DELAY', 5000, 0),
      exportTimeoutMs: integer('OTEL_BSP_EXPORT_TIMEOUT', 30000, 1),
      linkCountLimit: integer('OTEL_SPAN_LINK_COUNT_LIMIT', 128, 0),
      attributeValueLengthLimit: lengthLimit < 0 ? Number.POSITIVE_INFINITY : lengthLimit,
      resource: resourceFrom(env, warnings),
    },
    warnings,
  };
}

const alwaysOn: Sampler = () => true;
const alwaysOff: Sampler = () => false;

/**
 * Samples a share `ratio` of traces, decided by the trace id alone (its last 13 hex digits, random in W3C trace ids),
 * so that every span of a trace, in every service deciding this way, gets the same answer.
 */
export function ratioSampler(ratio: number): Sampler {
  if (ratio >= 1) return alwaysOn;
  if (ratio <= 0) return alwaysOff;
  const bound = ratio * 2 ** 52;
  return (_parent, traceId) => Number.parseInt(traceId.slice(-13), 16) < bound;
}

/** Follows the parent's decision when there is a parent, else asks `root`. */
export function parentBased(root: Sampler): Sampler {
  return (parent, traceId) =>
    parent ? (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED : root(parent, traceId);
}

function samplerFrom(env: NodeJS.ProcessEnv, warnings: string[]): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  const ratio = () => {
    const raw = env.OTEL_TRACES_SAMPLER_ARG?.trim();
    if (!raw) return 1;
    const value = Number(raw);
    if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
    warnings.push('OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1; using 1.');
    return 1;
  };
  switch (name) {
    case 'always_on':
      return alwaysOn;
    case 'always_off':
      return alwaysOff;
    case 'traceidratio':
      return ratioSampler(ratio());
    case 'parentbased_always_on':
      return parentBased(alwaysOn);
    case 'parentbased_always_off':
      return parentBased(alwaysOff);
    case 'parentbased_traceidratio':
      return parentBased(ratioSampler(ratio()));
    default:
      warnings.push(
        `OTEL_TRACES_SAMPLER=${JSON.stringify(name.slice(0, 64))} is not supported (always_on, always_off, traceidratio and their parentbased_ forms are); using parentbased_always_on.`,
      );
      return parentBased(alwaysOn);
  }
}

/**
 * `OTEL_RESOURCE_ATTRIBUTES` (`key=value,…`, values percent-encoded; one bad entry discards them all, as the
 * specification says), then `OTEL_SERVICE_NAME` over `service.name`, and what produced the telemetry.
 */
function resourceFrom(env: NodeJS.ProcessEnv, warnings: string[]): Attributes {
  let attributes: Attributes = {};
  for (const entry of keyValueList(env.OTEL_RESOURCE_ATTRIBUTES)) {
    if (!entry) {
      warnings.push(
        'OTEL_RESOURCE_ATTRIBUTES has an entry that is not key=value (percent-encoded); it is not used.',
      );
      attributes = {};
      break;
    }
    attributes[entry.key] = entry.value;
  }
  attributes['service.name'] = env.OTEL_SERVICE_NAME?.trim() || attributes['service.name'] || 'pamgraph';
  attributes['telemetry.sdk.name'] = 'pamgraph';
  attributes['telemetry.sdk.language'] = 'nodejs';
  return attributes;
}

/**
 * The standard variables' `key=value,…` lists (`OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_HEADERS`): each entry
 * trimmed and its value percent-decoded, or undefined where an entry is not `key=value` or does not decode.
 */
export function keyValueList(raw: string | undefined): Array<{ key: string; value: string } | undefined> {
  return (raw ?? '')
    .split(',')
    .filter((entry) => entry.trim())
    .map((entry) => {
      const at = entry.indexOf('=');
      const key = entry.slice(0, Math.max(at, 0)).trim();
      if (!key) return undefined;
      try {
        return { key, value: decodeURIComponent(entry.slice(at + 1).trim()) };
      } catch {
        return undefined;
      }
    });
}
