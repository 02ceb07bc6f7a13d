/**
 * CORS, closed by default. Only origins listed in `CORS_ORIGINS` get any `access-control-allow-*` header;
 * every other origin gets none at all — not `null` (a sandboxed iframe's origin is `null`, so an answer of
 * `allow-origin: null` would let it read), not an echo. The header lists live here so that later features
 * (tracing, subscriptions) add their headers in one place.
 */

import type { Plugin, YogaServerOptions } from 'graphql-yoga';
import { PLAN_HEADER } from '../ops/plan.js';

export interface CorsSettings {
  /** Exact origins (`scheme://host[:port]`) allowed to call the gateway from a browser. */
  corsOrigins: readonly string[];
  /** Send `access-control-allow-credentials: true`; pamgraph itself uses no cookies. */
  corsAllowCredentials: boolean;
  pamTokenHeader: string;
  auditKeyHeader: string;
}

/** The header a non-JSON request (any GET, a form or text POST) must carry to pass CSRF prevention. */
export const PREFLIGHT_HEADER = 'graphql-preflight';

/** Request headers a listed origin may send. */
export function allowedHeaders(settings: Pick<CorsSettings, 'pamTokenHeader' | 'auditKeyHeader'>): string[] {
  return [
    'content-type',
    settings.pamTokenHeader,
    settings.auditKeyHeader,
    PREFLIGHT_HEADER,
    'x-request-id',
    'traceparent',
    'tracestate',
    'cache-control',
    PLAN_HEADER,
  ];
}

/** Response headers a listed origin's scripts may read. */
export const EXPOSED_HEADERS: readonly string[] = ['x-request-id'];

/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

type CorsOption = NonNullable<YogaServerOptions<object, object>['cors']>;

/** Yoga's `cors` option in its function form: `false` (no header at all) for every unlisted origin. */
export function corsPolicy(settings: CorsSettings): CorsOption {
  const listed = new Set(settings.corsOrigins);
  const allowed = allowedHeaders(settings);
  const exposed = [...EXPOSED_HEADERS];
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !listed.has(origin)) return false;
    // One origin as a string: Yoga then answers exactly it, never `null` or another listed origin.
    // `credentials` explicitly false: left undefined, Yoga would send `allow-credentials: true`.
    const common = { origin, credentials: settings.corsAllowCredentials };
    if (request.method !== 'OPTIONS') return { ...common, exposedHeaders: exposed };
    // Methods, headers and max-age mean something only in the answer to a preflight.
    return { ...common, methods: ['GET', 'POST'], allowedHeaders: allowed, maxAge: PREFLIGHT_MAX_AGE_S };
  };
}

/** Every answer depends on the request's origin (headers or none), so shared caches must key on it. */
export function useVaryOnOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (
        !vary
          ?.toLowerCase()
          .split(/\s*,\s*/)
          .includes('origin')
      )
        response.headers.append('vary', 'Origin');
    },
  };
}
