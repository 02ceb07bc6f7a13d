/**
 * Every loader of one request. Built by `context.ts` per request; what they cache lives as long as the request.
 * What crosses requests is only what the caller's own shared views hold (src/views), when they are given.
 */

import type { TraceHolder } from '../ops/tracing.js';
import type { AuditDefaults } from '../upstream/audit.js';
import {
  accounts,
  listeners,
  type PamAccount,
  type PamListener,
  type PamPolicy,
  type PamSafe,
  type PamServer,
  type PamUser,
  policies,
  safes,
  servers,
  users,
} from '../upstream/pam/index.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import type { PamView } from '../views/pam-view.js';
import type { PamScopeViews, ScopeLists } from '../views/registry.js';
import { SafeAssignments } from './assignments.js';
import { AuditEntries } from './audit-entries.js';
import { AuditLog, type AuditScanOptions, type AuditViewData } from './audit-log.js';
import { GrantedUsers } from './granted-users.js';
import { AuditMatching, requestIndexes, viewIndexes } from './matching.js';
import { type ByIdStrategy, type Collection, PamCollection, ViewCollection } from './pam-collection.js';

export interface LoaderOptions {
  byId: ByIdStrategy;
  auditScan: AuditScanOptions;
}

export interface Loaders {
  accounts: Collection<PamAccount>;
  servers: Collection<PamServer>;
  safes: Collection<PamSafe>;
  listeners: Collection<PamListener>;
  users: Collection<PamUser>;
  policies: Collection<PamPolicy>;
  grantedUsers: GrantedUsers;
  assignments: SafeAssignments;
  auditEntries: AuditEntries;
  auditLog: AuditLog;
  matching: AuditMatching;
}

function collection<T extends { id: number }>(
  pam: ScopedUpstream,
  strategy: ByIdStrategy,
  client: {
    list(pam: ScopedUpstream, page: { page: number; pageSize: number }): Promise<T[]>;
    get(pam: ScopedUpstream, id: number): Promise<T | null>;
  },
): PamCollection<T> {
  return new PamCollection(
    { list: (page) => client.list(pam, page), get: (id) => client.get(pam, id) },
    strategy,
  );
}

/** A collection answered from a shared view's snapshot: a missing id is absent or invisible to the caller. */
const fromView = <T extends { id: number }>(view: PamView<T>, reader?: TraceHolder): Collection<T> =>
  new ViewCollection(() => view.snapshot(reader));

export function createLoaders(
  upstreams: { pam: ScopedUpstream; audit: ScopedUpstream },
  options: LoaderOptions,
  shared?: {
    pam?: PamScopeViews | undefined;
    lists?: ScopeLists | undefined;
    audit?: AuditViewData | undefined;
    auditDefaults?: (() => Promise<AuditDefaults>) | undefined;
    /** The operation reading the views (its trace and call plan). */
    reader?: TraceHolder | undefined;
  },
): Loaders {
  const reader = shared?.reader;
  const views = shared?.pam;
  const { pam, audit } = upstreams;
  const s = options.byId;
  const accountLoader = views ? fromView(views.accounts, reader) : collection(pam, s, accounts);
  const serverLoader = views ? fromView(views.servers, reader) : collection(pam, s, servers);
  const safeLoader = views ? fromView(views.safes, reader) : collection(pam, s, safes);
  return {
    accounts: accountLoader,
    servers: serverLoader,
    safes: safeLoader,
    listeners: views ? fromView(views.listeners, reader) : collection(pam, s, listeners),
    users: views ? fromView(views.users, reader) : collection(pam, s, users),
    policies: views ? fromView(views.policies, reader) : collection(pam, s, policies),
    grantedUsers: new GrantedUsers(pam, shared?.lists?.granted),
    assignments: new SafeAssignments(pam, safeLoader, shared?.lists?.assignments),
    auditEntries: new AuditEntries(audit, shared?.audit, shared?.auditDefaults),
    auditLog: new AuditLog(audit, options.auditScan, shared?.audit),
    matching: new AuditMatching(
      views
        ? viewIndexes(views.servers, views.accounts, reader)
        : requestIndexes(serverLoader, accountLoader),
    ),
  };
}
