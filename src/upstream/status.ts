/**
 * Upstream HTTP status → the gateway's stable error codes. Messages are ours: an upstream's body text may
 * echo submitted values (secrets included), so it never reaches a client or a log line from here.
 */
import { GatewayError, type UpstreamName } from '../errors.js';

const LABEL: Record<UpstreamName, string> = { pam: 'PAM', audit: 'Audit' };

export function errorForStatus(upstream: UpstreamName, status: number): GatewayError {
  const label = LABEL[upstream];
  const details = { upstream, status };
  if (status === 401) {
    return new GatewayError('UNAUTHENTICATED', `The ${label} upstream rejected the credentials.`, details);
  }
  if (status === 403) {
    return new GatewayError(
      'FORBIDDEN',
      `The ${label} upstream does not permit this for these credentials.`,
      details,
    );
  }
  if (status === 404)
    return new GatewayError('NOT_FOUND', `The ${label} upstream has no such object.`, details);
  if (status === 400 || status === 422) {
    return new GatewayError(
      'BAD_USER_INPUT',
      `The ${label} upstream rejected the request as invalid.`,
      details,
    );
  }
  if (status === 429 || status >= 500) {
    return new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      `The ${label} upstream is unavailable (HTTP ${status}).`,
      details,
    );
  }
  return new GatewayError(
    'UPSTREAM_BAD_RESPONSE',
    `The ${label} upstream answered with an unexpected status (HTTP ${status}).`,
    details,
  );
}
