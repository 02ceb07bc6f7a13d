/** Who is calling (docs/upstreams.md §1.1): a raw token in `Authorization`, either an API key or a session id. */
import type { SimRequest } from '../http.js';
import type { PamState } from './store.js';
import type { Account, User } from './types.js';

export function authenticate(state: PamState, request: SimRequest): User | undefined {
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? header.trim() : '';
  if (!token) return undefined;
  const userId = state.apiKeys.get(token) ?? state.sessions.get(token);
  // A deleted user's tokens stop working because the lookup below misses.
  return userId === undefined ? undefined : state.users.get(userId);
}

/** Whether the role may make this call at all; visibility of single accounts is checked separately. */
export function roleAllows(user: User, method: string): boolean {
  switch (user.role) {
    case 'superadmin':
    case 'admin':
      return true;
    case 'operator':
      return method === 'GET';
    default:
      return false;
  }
}

/** Operators see only the accounts they were granted; everybody who may call at all sees the rest. */
export function canSeeAccount(state: PamState, user: User, account: Account): boolean {
  if (user.role !== 'operator') return true;
  return state.grants.get(account.id)?.has(user.id) ?? false;
}
