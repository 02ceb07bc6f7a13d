/**
 * Cross-site request forgery prevention. A browser sends some requests to another origin without asking
 * first (no CORS preflight): any GET, and a POST whose content type is a form or plain text. With fallback
 * credentials such a request would act as the service account, so it is refused with 403 and
 * `CSRF_PREVENTED` before it is parsed, unless it carries `graphql-preflight`, a header no browser adds on
 * its own (a page can only add it through a preflighted request, which CORS then decides).
 *
 * Yoga's plugin covers the POST content types; it lets a GET through when the GET claims a JSON content type,
 * which is why GETs are checked here on their own.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { PREFLIGHT_HEADER } from './cors.js';

function refused() {
  return createGraphQLError(
    `This request could come from another web site, so it was refused: send it as a POST with content type application/json, or add the header "${PREFLIGHT_HEADER}: 1".`,
    { extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } } },
  );
}

export function useCsrfPrevention(): Plugin {
  const yogaCsrf = useCSRFPrevention({ requestHeaders: [PREFLIGHT_HEADER] });
  return {
    onRequestParse(payload) {
      const { request } = payload;
      if (request.headers.has(PREFLIGHT_HEADER)) return;
      if (request.method !== 'POST') throw refused();
      try {
        yogaCsrf.onRequestParse?.(payload);
      } catch {
        throw refused();
      }
    },
  };
}
