/**
 * Whether a host name or address is this machine's loopback: what may be trusted to reach the gateway only from
 * the machine itself (fallback credentials, the DNS-rebinding check).
 */
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 (in any spelling, also as IPv4-mapped 127.x) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  // An IPv6 zone (`fe80::1%eth0`) names an interface, not another address; the URL parser refuses it.
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) {
    // The URL parser spells an IPv6 address canonically: `[::1]`, and 127.x mapped as `[::ffff:7fxx:xxxx]`.
    const canonical = new URL(`http://[${name}]`).hostname;
    return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:/.test(canonical);
  }
  return false;
}
