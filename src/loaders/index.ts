/**
 * Every loader of one request. Built by `context.ts` per request; nothing here outlives it, so no cached
 * or batched data crosses from one caller to another.
 */
import DataLoader from 'dataloader';
import {
  getAccount,
  getListener,
  getPolicy,
  getSafe,
  getServer,
  getUser,
  listAccounts,
  listGrantedUsers,
  listListeners,
  listPolicies,
  listSafes,
  listServers,
  listUsers,
  PAM_MAX_PAGE_SIZE,
  type PamAccount,
  type PamListener,
  type PamPolicy,
  type PamRef,
  type PamSafe,
  type PamServer,
  type PamUser,
} from '../upstream/pam/index.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import { SafeAssignments } from './assignments.js';
import { type AuditEntryLoaders, createAuditEntryLoaders } from './audit-entries.js';
import { AuditLog, type AuditScanOptions } from './audit-log.js';
import { AuditMatching } from './matching.js';
import { fetchAllPages } from './paging.js';
import { type ByIdStrategy, PamCollection } from './pam-collection.js';
import { nullIfNotFound, settleEach } from './settle.js';

export interface LoaderOptions {
  byId: ByIdStrategy;
  auditScan: AuditScanOptions;
}

export interface Loaders {
  accounts: PamCollection<PamAccount>;
  servers: PamCollection<PamServer>;
  safes: PamCollection<PamSafe>;
  listeners: PamCollection<PamListener>;
  users: PamCollection<PamUser>;
  policies: PamCollection<PamPolicy>;
  /** Account id → users who may manage it (null when the account is absent or invisible). */
  grantedUsers: DataLoader<number, PamRef[] | null>;
  assignments: SafeAssignments;
  auditEntries: AuditEntryLoaders;
  auditLog: AuditLog;
  matching: AuditMatching;
}

function collection<T extends { id: number }>(
  pam: ScopedUpstream,
  strategy: ByIdStrategy,
  list: (pam: ScopedUpstream, page: { page: number; pageSize: number }) => Promise<T[]>,
  get: (pam: ScopedUpstream, id: number) => Promise<T | null>,
): PamCollection<T> {
  return new PamCollection({ list: (page) => list(pam, page), get: (id) => get(pam, id) }, strategy);
}

export function createLoaders(
  upstreams: { pam: ScopedUpstream; audit: ScopedUpstream },
  options: LoaderOptions,
): Loaders {
  const { pam, audit } = upstreams;
  const s = options.byId;
  const accounts = collection(pam, s, listAccounts, getAccount);
  const servers = collection(pam, s, listServers, getServer);
  const safes = collection(pam, s, listSafes, getSafe);
  return {
    accounts,
    servers,
    safes,
    listeners: collection(pam, s, listListeners, getListener),
    users: collection(pam, s, listUsers, getUser),
    policies: collection(pam, s, listPolicies, getPolicy),
    grantedUsers: new DataLoader((ids) =>
      settleEach(ids, (id) =>
        fetchAllPages(PAM_MAX_PAGE_SIZE, (page, pageSize) =>
          listGrantedUsers(pam, id, { page, pageSize }),
        ).catch(nullIfNotFound),
      ),
    ),
    assignments: new SafeAssignments(pam, safes),
    auditEntries: createAuditEntryLoaders(audit),
    auditLog: new AuditLog(audit, options.auditScan),
    matching: new AuditMatching(servers, accounts),
  };
}
