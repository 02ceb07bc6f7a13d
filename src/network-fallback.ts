/**
 * Fallback credentials on a network are a decision. With `CREDENTIAL_MODE=fallback`, a caller that sends no
 * credential acts with the service credential; on a non-loopback interface that lends a real PAM or Audit
 * account to everyone who can reach the port. So the gateway refuses to start in that case unless
 * `ALLOW_NETWORK_FALLBACK=true` says someone decided it. The embedded simulators (demo data) are exempt.
 * Checked before the listener binds.
 */
import { isIP } from 'node:net';
import { ConfigError } from './config.js';

/** 127.0.0.0/8, ::1 (in any spelling, also as IPv4-mapped 127.x) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) {
    // The URL parser spells an IPv6 address canonically: `[::1]`, and 127.x mapped as `[::ffff:7fxx:xxxx]`.
    const canonical = new URL(`http://[${name}]`).hostname;
    return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:/.test(canonical);
  }
  return false;
}

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
  if (settings.allowNetworkFallback || isLoopbackHost(settings.host)) return;
  const lent = uses.filter((use) => use.realFallback).map((use) => use.name);
  if (lent.length === 0) return;
  throw new ConfigError(
    `CREDENTIAL_MODE=fallback with HOST=${settings.host} would lend the ${lent.join(' and ')} service credential to anyone who can reach this port. Listen on a loopback address, use CREDENTIAL_MODE=forward, or set ALLOW_NETWORK_FALLBACK=true if that is intended.`,
  );
}
