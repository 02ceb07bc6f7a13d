/**
 * A request id per request: the caller's `x-request-id` when it is a sane token, else a new UUID.
 * It is echoed in the response, put on every log line and sent to the upstreams.
 */
import { randomUUID } from 'node:crypto';

const SANE = /^[A-Za-z0-9._:-]{1,64}$/;

const ids = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    id = given && SANE.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}
