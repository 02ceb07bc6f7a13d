/**
 * OTLP/HTTP with JSON bodies: the traces' exporter, configured by the standard `OTEL_EXPORTER_OTLP_*` variables
 * (endpoint, headers, timeout, compression, TLS files; the traces-specific form of each wins over the general one).
 *
 * Written here over undici (already the upstreams' client) rather than taken from
 * `@opentelemetry/exporter-trace-otlp-http`: that package brings about 225 modules (protobuf among them) for a JSON
 * body, with the SDK's span types to fill (README, "Observability's cost"). The body is the OTLP/JSON mapping of the
 * protobuf messages: hex ids, lowerCamelCase fields, 64-bit integers as decimal strings.
 */
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { type SpanContext, TraceFlags } from '@opentelemetry/api';
import { Agent, request } from 'undici';
import {
  type Attributes,
  type FinishedSpan,
  keyValueList,
  MAX_TIMER_MS,
  type SpanExporter,
} from './tracer.js';

const gzip = promisify(gzipCallback);

export interface OtlpSettings {
  url: URL;
  /** Extra request headers (a collector's API key, say): sent, never logged. */
  headers: Record<string, string>;
  timeoutMs: number;
  gzip: boolean;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer };
}

/**
 * The exporter's settings from the environment, or undefined (with the reason in `warnings`) when the endpoint cannot
 * be used. Every other value it cannot use is warned of and replaced by its default. No warning quotes a header value.
 */
export function otlpSettings(env: NodeJS.ProcessEnv, warnings: string[]): OtlpSettings | undefined {
  const either = (name: string) => {
    const specific = env[`OTEL_EXPORTER_OTLP_TRACES_${name}`]?.trim();
    if (specific) return { name: `OTEL_EXPORTER_OTLP_TRACES_${name}`, value: specific };
    const general = env[`OTEL_EXPORTER_OTLP_${name}`]?.trim();
    return general ? { name: `OTEL_EXPORTER_OTLP_${name}`, value: general } : undefined;
  };

  const endpoint = either('ENDPOINT');
  if (!endpoint) return undefined;
  let url: URL;
  try {
    // The general endpoint is a base the signal's path is added to; the traces endpoint is used as it is.
    const base = endpoint.value;
    url = new URL(
      endpoint.name === 'OTEL_EXPORTER_OTLP_ENDPOINT'
        ? `${base}${base.endsWith('/') ? '' : '/'}v1/traces`
        : base,
    );
  } catch {
    warnings.push(`${endpoint.name} is not a URL; traces are off.`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    warnings.push(`${endpoint.name} must be an http or https URL; traces are off.`);
    return undefined;
  }
  if (url.username || url.password) {
    warnings.push(
      `${endpoint.name} must not carry credentials (use OTEL_EXPORTER_OTLP_HEADERS); traces are off.`,
    );
    return undefined;
  }

  const headers: Record<string, string> = {};
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
    for (const entry of keyValueList(env[name])) {
      const key = entry?.key.toLowerCase() ?? '';
      if (!entry || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key) || /[\r\n\0]/.test(entry.value)) {
        warnings.push(`${name} has an entry that is not key=value (percent-encoded); it is left out.`);
        continue;
      }
      headers[key] = entry.value;
    }
  }

  if (url.protocol === 'http:' && Object.keys(headers).length > 0 && !isLoopback(url.hostname))
    warnings.push(
      `${endpoint.name} is plain http to another host: the OTLP headers (a collector's key, say) cross the network unencrypted.`,
    );

  let timeoutMs = 10_000;
  const timeout = either('TIMEOUT');
  if (timeout) {
    const value = Number(timeout.value);
    if (Number.isInteger(value) && value > 0 && value <= MAX_TIMER_MS) timeoutMs = value;
    else
      warnings.push(
        `${timeout.name} must be a positive integer of milliseconds, at most ${MAX_TIMER_MS}; using 10000.`,
      );
  }

  const compression = either('COMPRESSION');
  const gzipped = compression?.value.toLowerCase() === 'gzip';
  if (compression && !gzipped && compression.value.toLowerCase() !== 'none')
    warnings.push(`${compression.name} must be gzip or none; using none.`);

  const protocol = either('PROTOCOL');
  if (protocol && protocol.value !== 'http/json')
    warnings.push(
      `${protocol.name}=${JSON.stringify(protocol.value.slice(0, 32))}: pamgraph sends http/json only.`,
    );

  const tls: OtlpSettings['tls'] = {};
  for (const [name, field] of [
    ['CERTIFICATE', 'ca'],
    ['CLIENT_CERTIFICATE', 'cert'],
    ['CLIENT_KEY', 'key'],
  ] as const) {
    const file = either(name);
    if (!file) continue;
    try {
      tls[field] = readFileSync(file.value);
    } catch {
      warnings.push(`${file.name} names a file that cannot be read; traces are off.`);
      return undefined;
    }
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    warnings.push('A client certificate needs its key and the key its certificate; traces are off.');
    return undefined;
  }
  return { url, headers, timeoutMs, gzip: gzipped, tls };
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
function retryAfterOf(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !header.trim()) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** HTTP statuses the OTLP specification calls transient: the export is tried again. */
const RETRYABLE = new Set([429, 502, 503, 504]);
const ATTEMPTS = 3;

/** The OTLP/HTTP exporter: each batch in one POST, in up to three attempts within the timeout. */
export function otlpExporter(settings: OtlpSettings, resource: Attributes): SpanExporter {
  const dispatcher = new Agent({
    connections: 2,
    keepAliveTimeout: 10_000,
    connect: { ...settings.tls },
  });
  const resourceAttributes = attributesOf(resource);
  const headers = {
    ...settings.headers,
    'content-type': 'application/json',
    ...(settings.gzip ? { 'content-encoding': 'gzip' } : {}),
  };

  return {
    async export(spans, cancel) {
      const json = JSON.stringify(encodeSpans(spans, resourceAttributes));
      const body = settings.gzip ? await gzip(json) : json;
      const deadline = performance.now() + settings.timeoutMs;
      let failure = 'timeout';
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const left = Math.ceil(deadline - performance.now());
        if (left <= 0) return failure;
        let retryAfterMs: number | undefined;
        try {
          const response = await request(settings.url, {
            method: 'POST',
            headers,
            body,
            dispatcher,
            headersTimeout: left,
            bodyTimeout: left,
            signal: AbortSignal.any([AbortSignal.timeout(left), cancel]),
          });
          // Read to the end, so that the connection is kept for the next batch.
          await response.body.dump();
          if (response.statusCode >= 200 && response.statusCode < 300) return undefined;
          failure = `HTTP ${response.statusCode}`;
          if (!RETRYABLE.has(response.statusCode)) return failure;
          retryAfterMs = retryAfterOf(response.headers['retry-after']);
        } catch (error) {
          // A network error's code (ECONNREFUSED, UND_ERR_…) or class, never its message.
          const { code, name } = error as { code?: unknown; name?: unknown };
          if (
            cancel.aborted ||
            name === 'TimeoutError' ||
            name === 'AbortError' ||
            String(code).includes('TIMEOUT')
          )
            failure = 'timeout';
          else failure = typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'network error';
        }
        const wait = retryAfterMs ?? 250 * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
        if (attempt === ATTEMPTS || cancel.aborted || performance.now() + wait >= deadline) return failure;
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
      return failure;
    },
    shutdown: () => dispatcher.close(),
  };
}

type AnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValue[] } };

function anyValue(value: Attributes[string]): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { arrayValue: { values: value.map((item) => ({ stringValue: item })) } };
}

function attributesOf(attributes: Attributes): Array<{ key: string; value: AnyValue }> {
  return Object.keys(attributes).map((key) => ({
    key,
    value: anyValue(attributes[key] as Attributes[string]),
  }));
}

/**
 * The wall-clock time of `performance.now()`'s zero. Spans are timed on the monotonic clock (so that a child never
 * ends before it starts); this anchor turns those readings into epoch times, and follows the wall clock when it is
 * set (NTP stepping it after start, a paused VM): it moves when the two clocks part by more than 5 ms, so that the
 * spans of one trace, exported in different batches, keep their order.
 */
let anchor = performance.timeOrigin;

function currentAnchor(): number {
  const fresh = Date.now() - performance.now();
  if (Math.abs(fresh - anchor) > 5) anchor = fresh;
  return anchor;
}

/** A `performance.now()` reading as nanoseconds since the epoch, in decimal (beyond a double's exact integers). */
export function epochNanos(now: number, origin = currentAnchor()): string {
  const ms = origin + now;
  let whole = Math.floor(ms);
  let micro = Math.round((ms - whole) * 1e6);
  if (micro >= 1e6) {
    whole += 1;
    micro -= 1e6;
  }
  return `${whole}${String(micro).padStart(6, '0')}`;
}

/** OTLP's span flags: the W3C trace flags, and whether the parent is known to be remote or not. */
const flagsOf = (context: SpanContext, remote: boolean | undefined) =>
  (context.traceFlags & TraceFlags.SAMPLED) | 0x100 | (remote ? 0x200 : 0);

/** An ExportTraceServiceRequest in its JSON mapping. */
export function encodeSpans(
  spans: readonly FinishedSpan[],
  resourceAttributes: Array<{ key: string; value: AnyValue }>,
) {
  const origin = currentAnchor();
  return {
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [
          {
            scope: { name: 'pamgraph' },
            spans: spans.map((span) => ({
              traceId: span.context.traceId,
              spanId: span.context.spanId,
              ...(span.parent ? { parentSpanId: span.parent.spanId } : {}),
              flags: flagsOf(span.context, span.parent?.isRemote ?? false),
              name: span.name,
              // OTLP counts kinds from 1 (0 is "unspecified"); the API's enum from 0.
              kind: span.kind + 1,
              startTimeUnixNano: epochNanos(span.startMs, origin),
              endTimeUnixNano: epochNanos(span.endMs, origin),
              attributes: attributesOf(span.attributes),
              status:
                span.status.message === undefined
                  ? { code: span.status.code }
                  : { code: span.status.code, message: span.status.message },
              links: span.links.map((link) => ({
                traceId: link.traceId,
                spanId: link.spanId,
                flags: flagsOf(link, link.isRemote),
              })),
              droppedLinksCount: span.droppedLinksCount,
            })),
          },
        ],
      },
    ],
  };
}
