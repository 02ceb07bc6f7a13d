/** docs/upstreams.md §1.4 safe assignments: account × listener pairs a safe exposes. */
import type { SimResponse } from '../http.js';
import { canSeeAccount } from './auth.js';
import { ref } from './common.js';
import { type Context, parseId } from './context.js';
import { created, NO_CONTENT, NOT_FOUND, ok, parseObjectBody, ValidationErrors } from './errors.js';
import { applyWindow, pageWindow } from './pagination.js';
import { FieldReader } from './reader.js';
import { addAssignment, type PamState } from './store.js';
import type { Assignment, Safe } from './types.js';

function findSafe(ctx: Context): Safe | undefined {
  const id = parseId(ctx.params[0]);
  return id === undefined ? undefined : ctx.state.safes.get(id);
}

function serializeAssignment(state: PamState, assignment: Assignment) {
  return {
    account_id: assignment.accountId,
    listener_id: assignment.listenerId,
    account: ref(state.accounts.get(assignment.accountId)),
    listener: ref(state.listeners.get(assignment.listenerId)),
  };
}

export function listAssignments(ctx: Context): SimResponse {
  const window = pageWindow(ctx.request.query);
  if (window instanceof ValidationErrors) return window.response();
  const safe = findSafe(ctx);
  if (!safe) return NOT_FOUND;
  const visible = [...(ctx.state.assignments.get(safe.id)?.values() ?? [])].filter((a) => {
    const account = ctx.state.accounts.get(a.accountId);
    return account !== undefined && canSeeAccount(ctx.state, ctx.user, account);
  });
  visible.sort((a, b) => a.accountId - b.accountId || a.listenerId - b.listenerId);
  return ok(applyWindow(visible, window).map((a) => serializeAssignment(ctx.state, a)));
}

/** Reads `account_id` and `listener_id`, both required and both naming existing objects. */
function readAssignment(ctx: Context, reader: FieldReader): Assignment | undefined {
  const accountId = reader.integer('account_id', { required: true });
  const listenerId = reader.integer('listener_id', { required: true });
  if (typeof accountId === 'number' && !ctx.state.accounts.get(accountId)) {
    reader.fail('account_id', `Invalid pk "${accountId}" - object does not exist.`);
  }
  if (typeof listenerId === 'number' && !ctx.state.listeners.get(listenerId)) {
    reader.fail('listener_id', `Invalid pk "${listenerId}" - object does not exist.`);
  }
  if (!reader.errors.empty || typeof accountId !== 'number' || typeof listenerId !== 'number')
    return undefined;
  return { accountId, listenerId };
}

export function createAssignment(ctx: Context): SimResponse {
  const body = parseObjectBody(ctx.request.body);
  if (!body.ok) return body.response;
  const reader = new FieldReader(body.value, new ValidationErrors());
  const assignment = readAssignment(ctx, reader);
  if (!assignment) return reader.errors.response();
  const safe = findSafe(ctx);
  if (!safe) return NOT_FOUND;
  if (!addAssignment(ctx.state, safe.id, assignment)) {
    reader.errors.add(
      'non_field_errors',
      'This account is already assigned to this safe through this listener.',
    );
    return reader.errors.response();
  }
  return created(serializeAssignment(ctx.state, assignment));
}

export function deleteAssignments(ctx: Context): SimResponse {
  const safe = findSafe(ctx);
  if (!safe) return NOT_FOUND;
  const accountId = parseId(ctx.params[1]);
  const bySafe = ctx.state.assignments.get(safe.id);
  let removed = 0;
  for (const [key, assignment] of bySafe ?? []) {
    if (assignment.accountId === accountId) {
      bySafe?.delete(key);
      removed++;
    }
  }
  return removed > 0 ? NO_CONTENT : NOT_FOUND;
}
