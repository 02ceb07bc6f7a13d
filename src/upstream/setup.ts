/**
 * The two upstreams as the gateway uses them: an HTTP client each, plus how a caller's credential is chosen.
 * Built once at start-up by `src/server.ts`, shared by every request (the pools are the only shared state).
 */
import type { CredentialMode } from '../config.js';
import type { UpstreamName } from '../errors.js';
import type { UpstreamHttp } from './http.js';

export interface UpstreamSetup {
  /** Base URL of the upstream. */
  url: string;
  /** `forward`: only the caller's own credential; `fallback`: the service credential for callers without one. */
  credentialMode: CredentialMode;
  /** Used only in `fallback` mode. */
  serviceCredential: string | undefined;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | undefined;
}

export interface BoundUpstream {
  name: UpstreamName;
  http: UpstreamHttp;
  setup: UpstreamSetup;
  /** Request header that carries the caller's credential for this upstream. */
  header: string;
}

/** The credential a request acts with on one upstream, or undefined when it has none. */
export function credentialFor(upstream: BoundUpstream, headers: Headers): string | undefined {
  const own = headers.get(upstream.header)?.trim();
  if (own) return own;
  return upstream.setup.credentialMode === 'fallback' ? upstream.setup.serviceCredential : undefined;
}
