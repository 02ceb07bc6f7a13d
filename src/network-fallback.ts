/**
 * Fallback credentials on a network are a decision. With `CREDENTIAL_MODE=fallback`, a caller that sends no
 * credential acts with the service credential; on a non-loopback interface that lends a real PAM or Audit
 * account to everyone who can reach the port. So the gateway refuses to start in that case unless
 * `ALLOW_NETWORK_FALLBACK=true` says someone decided it. The embedded simulators (demo data) are exempt.
 * Checked before the listener binds.
 */
import { ConfigError } from './config.js';
import { isLoopbackHost } from './loopback.js';

export { isLoopbackHost };

export interface FallbackUse {
  /** `PAM` or `Audit`. */
  name: string;
  /** A real upstream (not an embedded simulator) lends its service credential. */
  realFallback: boolean;
}

/** Throws `ConfigError` naming the settings when a real upstream's fallback would be open to a network. */
export function checkNetworkFallback(
  settings: { host: string; allowNetworkFallback: boolean },
  uses: readonly FallbackUse[],
): void {
  const lent = uses.filter((use) => use.realFallback).map((use) => use.name);
  if (lent.length === 0 || settings.allowNetworkFallback || isLoopbackHost(settings.host)) return;
  throw new ConfigError(
    `CREDENTIAL_MODE=fallback with HOST=${settings.host} would lend the ${lent.join(' and ')} service credential to anyone who can reach this port. Listen on a loopback address, use CREDENTIAL_MODE=forward, or set ALLOW_NETWORK_FALLBACK=true if that is intended.`,
  );
}
