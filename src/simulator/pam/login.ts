/** `POST /api/system/login` (docs/upstreams.md §1.1): username and password for a session id. */
import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from '../http.js';
import { ok, parseObjectBody, UNAUTHENTICATED } from './errors.js';
import type { PamState } from './store.js';

export function login(state: PamState, request: SimRequest): SimResponse {
  const body = parseObjectBody(request.body);
  if (!body.ok) return body.response;
  const { username, password } = body.value;
  if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
    return UNAUTHENTICATED;
  }
  const user = state.users.findByName(username);
  if (!user || user.password === null || user.password !== password) return UNAUTHENTICATED;
  // Session ids are not demo data: they only need to be unguessable, not reproducible.
  const sessionid = randomBytes(20).toString('hex');
  state.sessions.set(sessionid, user.id);
  return ok({ sessionid });
}
