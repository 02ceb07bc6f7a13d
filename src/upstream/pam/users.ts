/** PAM users (docs/upstreams.md §1.8) and password change policies (§1.9). User `password` is write-only. */
import type { ScopedUpstream } from '../scope.js';
import { pamDecoder as d, getOne, listPage, type PamPage } from './common.js';

export const ROLES = ['superadmin', 'admin', 'operator', 'service', 'user'] as const;

export interface PamUser {
  id: number;
  name: string;
  role: (typeof ROLES)[number];
  fullName: string | null;
  email: string | null;
  blocked: boolean;
  reason: string | null;
  createdAt: string | null;
  modifiedAt: string | null;
}

export interface PamPolicy {
  id: number;
  name: string;
  changeFrequency: number;
  complexityLength: number;
}

export function decodeUser(value: unknown): PamUser {
  const u = d.object(value, 'user');
  return {
    id: d.integer(u, 'id'),
    name: d.string(u, 'name'),
    role: d.oneOf(u, 'role', ROLES),
    fullName: d.optionalString(u, 'full_name') || null,
    email: d.optionalString(u, 'email') || null,
    blocked: d.boolean(u, 'blocked', false),
    reason: d.optionalString(u, 'reason') || null,
    createdAt: d.optionalString(u, 'created_at'),
    modifiedAt: d.optionalString(u, 'modified_at'),
  };
}

export function decodePolicy(value: unknown): PamPolicy {
  const p = d.object(value, 'password change policy');
  return {
    id: d.integer(p, 'id'),
    name: d.string(p, 'name'),
    changeFrequency: d.optionalInteger(p, 'change_frequency') ?? 0,
    complexityLength: d.optionalInteger(p, 'complexity_length') ?? 0,
  };
}

/** `GET /api/system/users?page&page_size` */
export function listUsers(pam: ScopedUpstream, page: PamPage): Promise<PamUser[]> {
  return listPage(pam, '/api/system/users', page, decodeUser, 'user');
}

/** `GET /api/system/users/:id` */
export function getUser(pam: ScopedUpstream, id: number): Promise<PamUser | null> {
  return getOne(pam, '/api/system/users', id, decodeUser);
}

/** `GET /api/system/password_change_policies?page&page_size` */
export function listPolicies(pam: ScopedUpstream, page: PamPage): Promise<PamPolicy[]> {
  return listPage(pam, '/api/system/password_change_policies', page, decodePolicy, 'password change policy');
}

/** `GET /api/system/password_change_policies/:id` */
export function getPolicy(pam: ScopedUpstream, id: number): Promise<PamPolicy | null> {
  return getOne(pam, '/api/system/password_change_policies', id, decodePolicy);
}
