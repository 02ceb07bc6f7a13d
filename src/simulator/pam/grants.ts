/** docs/upstreams.md §1.3 granted users: who may manage an account (and, for operators, who may see it). */
import type { SimResponse } from '../http.js';
import { canSeeAccount } from './auth.js';
import { type Context, parseId } from './context.js';
import { created, invalid, NO_CONTENT, NOT_FOUND, ok, parseObjectBody, ValidationErrors } from './errors.js';
import { applyWindow, pageWindow } from './pagination.js';
import { FieldReader } from './reader.js';
import { addGrant } from './store.js';
import type { Account } from './types.js';

function findAccount(ctx: Context): Account | undefined {
  const id = parseId(ctx.params[0]);
  const account = id === undefined ? undefined : ctx.state.accounts.get(id);
  return account && canSeeAccount(ctx.state, ctx.user, account) ? account : undefined;
}

export function listGrants(ctx: Context): SimResponse {
  const window = pageWindow(ctx.request.query);
  if (window instanceof ValidationErrors) return window.response();
  const account = findAccount(ctx);
  if (!account) return NOT_FOUND;
  const ids = [...(ctx.state.grants.get(account.id) ?? [])].sort((a, b) => a - b);
  const users = ids.flatMap((id) => {
    const user = ctx.state.users.get(id);
    return user ? [{ id: user.id, name: user.name }] : [];
  });
  return ok(applyWindow(users, window));
}

export function createGrant(ctx: Context): SimResponse {
  const body = parseObjectBody(ctx.request.body);
  if (!body.ok) return body.response;
  const reader = new FieldReader(body.value, new ValidationErrors());
  const userId = reader.integer('user_id', { required: true });
  const user = typeof userId === 'number' ? ctx.state.users.get(userId) : undefined;
  if (userId != null && !user) reader.fail('user_id', `Invalid pk "${userId}" - object does not exist.`);
  if (!user) return reader.errors.response();
  const account = findAccount(ctx);
  if (!account) return NOT_FOUND;
  if (!addGrant(ctx.state, account.id, user.id)) return invalid('user_id', 'This user is already granted.');
  return created({ id: user.id, name: user.name });
}

export function deleteGrant(ctx: Context): SimResponse {
  const account = findAccount(ctx);
  if (!account) return NOT_FOUND;
  const userId = parseId(ctx.params[1]);
  const granted = ctx.state.grants.get(account.id);
  if (userId === undefined || !granted?.delete(userId)) return NOT_FOUND;
  return NO_CONTENT;
}
