/**
 * An upstream client as the gateway builds one, for tests that drive the upstream layer directly.
 */
import { createLogger } from '../../src/logger.js';
import { UpstreamHttp } from '../../src/upstream/http.js';
import { RequestBudget, ScopedUpstream } from '../../src/upstream/scope.js';

/** An `UpstreamHttp` to `baseUrl` with test-friendly limits and a silent logger. */
export function testHttp(name: 'pam' | 'audit', baseUrl: string): UpstreamHttp {
  return new UpstreamHttp({
    name,
    baseUrl,
    timeoutMs: 5_000,
    connections: 2,
    maxResponseBytes: 1 << 20,
    logger: createLogger({ level: 'silent' }),
  });
}

/** The client bound to one caller's credential, as a request's context would bind it. */
export function scopedAs(http: UpstreamHttp, credential: string): ScopedUpstream {
  return new ScopedUpstream(http, {
    credential,
    credentialHeader: http.name === 'pam' ? 'x-pam-token' : 'x-audit-key',
    requestId: 't',
    budget: new RequestBudget(100),
  });
}
