/** docs/upstreams.md §1.6 safes. */
import { compact, readBlocked, stamps } from './common.js';
import type { Resource } from './crud.js';
import type { FieldReader } from './reader.js';
import type { PamState } from './store.js';
import { NOTE_ACCESS, type Safe } from './types.js';

function parseSafe(state: PamState, r: FieldReader, existing: Safe | undefined): Omit<Safe, 'id'> {
  return {
    name: r.string('name', { required: true, min: 1, max: 255 }) ?? '',
    ...readBlocked(r),
    loginReason: r.boolean('login_reason') ?? false,
    requireConfirmation: r.boolean('require_confirmation') ?? false,
    requiredVotes: r.integer('required_votes', { min: 0 }) ?? 0,
    webclient: r.boolean('webclient') ?? true,
    inactivityLimit: r.integer('inactivity_limit', { min: 0 }) ?? 0,
    timeLimit: r.integer('time_limit', { min: 0 }) ?? 0,
    noteAccess: r.choice('note_access', NOTE_ACCESS) ?? 'none',
    ...stamps(state, existing),
  };
}

export function serializeSafe(safe: Safe) {
  return {
    id: safe.id,
    name: safe.name,
    blocked: safe.blocked,
    reason: safe.reason,
    login_reason: safe.loginReason,
    require_confirmation: safe.requireConfirmation,
    required_votes: safe.requiredVotes,
    webclient: safe.webclient,
    inactivity_limit: safe.inactivityLimit,
    time_limit: safe.timeLimit,
    note_access: safe.noteAccess,
    created_at: safe.createdAt,
    modified_at: safe.modifiedAt,
  };
}

export const safes: Resource<Safe> = {
  table: (state) => state.safes,
  article: 'A safe',
  immutable: [],
  mergeNested: [],
  parse: parseSafe,
  toInput: (safe) => compact(serializeSafe(safe)),
  serialize: (_state, safe) => serializeSafe(safe),
  afterDelete(state, safe) {
    state.assignments.delete(safe.id);
  },
};
