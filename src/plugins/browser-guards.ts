/**
 * Two browser attacks that CSRF prevention and CORS do not see, because the browser believes the page and the
 * gateway share an origin:
 * - **DNS rebinding.** A page on `http://evil.example:4000` whose name is switched to 127.0.0.1 is, to the
 *   browser, same-origin with a gateway on loopback: it may send JSON and read the answers, with fallback
 *   credentials. Its requests still carry `Host: evil.example:4000`, so a request whose `Host` is not an
 *   allowed name is refused with 403 `HOST_NOT_ALLOWED` before anything else runs.
 * - **Clickjacking.** GraphiQL takes its query from the URL; framed by another site, one click would run it.
 *   No answer may be framed (`X-Frame-Options`, CSP `frame-ancestors`).
 */
import type { Plugin } from 'graphql-yoga';
import type { AllowedHosts } from '../config.js';
import { isLoopbackHost } from '../loopback.js';

/** The host name of a `Host` header (port dropped, IPv6 kept in brackets), or undefined when malformed. */
function hostNameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  try {
    const url = new URL(`http://${header}`);
    return url.username || url.password || url.pathname !== '/' ? undefined : url.hostname;
  } catch {
    return undefined;
  }
}

export function isHostAllowed(allowed: AllowedHosts, header: string | null): boolean {
  if (allowed === 'any') return true;
  const name = hostNameOf(header);
  if (name === undefined) return false;
  return allowed === 'loopback' ? isLoopbackHost(name) : allowed.includes(name);
}

export function useHostCheck(
  allowed: AllowedHosts,
  /** Told of each refused request (logged and counted by the caller). */
  onRefused?: (request: Request) => void,
): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (isHostAllowed(allowed, request.headers.get('host'))) return;
      onRefused?.(request);
      const errors = [
        {
          message:
            'This gateway does not answer to that host name (ALLOWED_HOSTS): a page may be trying DNS rebinding.',
          extensions: { code: 'HOST_NOT_ALLOWED' },
        },
      ];
      endResponse(fetchAPI.Response.json({ errors }, { status: 403 }));
    },
  };
}

export function useNoFraming(): Plugin {
  return {
    onResponse({ response }) {
      response.headers.set('x-frame-options', 'DENY');
      response.headers.set('content-security-policy', "frame-ancestors 'none'");
      response.headers.set('x-content-type-options', 'nosniff');
    },
  };
}
