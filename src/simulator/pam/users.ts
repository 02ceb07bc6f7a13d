/** docs/upstreams.md §1.8 users. The password is write-only: stored for the login call, never serialized. */
import { compact, readBlocked, stamps } from './common.js';
import type { Resource } from './crud.js';
import type { FieldReader } from './reader.js';
import type { PamState } from './store.js';
import { ROLES, type User } from './types.js';

function parseUser(state: PamState, r: FieldReader, existing: User | undefined): Omit<User, 'id'> {
  return {
    name: r.string('name', { required: true, min: 1, max: 255 }) ?? '',
    role: r.choice('role', ROLES, { required: true }) ?? 'user',
    fullName: r.string('full_name', { nullable: true }) ?? null,
    email: r.string('email', { nullable: true, format: 'email' }) ?? null,
    password: r.string('password') ?? null,
    ...readBlocked(r),
    ...stamps(state, existing),
  };
}

export function serializeUser(user: User) {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    full_name: user.fullName,
    email: user.email,
    blocked: user.blocked,
    reason: user.reason,
    created_at: user.createdAt,
    modified_at: user.modifiedAt,
  };
}

export const users: Resource<User> = {
  table: (state) => state.users,
  article: 'A user',
  immutable: [],
  mergeNested: [],
  parse: parseUser,
  toInput: (user) => compact({ ...serializeUser(user), password: user.password }),
  serialize: (_state, user) => serializeUser(user),
  afterDelete(state, user) {
    for (const granted of state.grants.values()) granted.delete(user.id);
  },
};
