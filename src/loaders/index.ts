/**
 * Every DataLoader of one request. Built by `context.ts` per request; nothing here outlives it.
 */
import type { ScopedUpstream } from '../upstream/scope.js';
import { type AccountLoaders, createAccountLoaders } from './accounts.js';
import { type AuditEntryLoaders, createAuditEntryLoaders } from './audit-entries.js';

export interface Loaders {
  accounts: AccountLoaders;
  auditEntries: AuditEntryLoaders;
}

export function createLoaders(upstreams: { pam: ScopedUpstream; audit: ScopedUpstream }): Loaders {
  return {
    accounts: createAccountLoaders(upstreams.pam),
    auditEntries: createAuditEntryLoaders(upstreams.audit),
  };
}
