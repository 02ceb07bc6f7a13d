/**
 * Audit entries: a DataLoader by id and windows of the sorted list.
 */
import DataLoader from 'dataloader';
import { type AuditEntry, type AuditSortField, getAuditEntry, listAuditEntries } from '../upstream/audit.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import { fetchWindow } from './paging.js';

/** The Audit API accepts `items_per_page` up to 500 (CONTRACT.md §2.2). */
const AUDIT_MAX_PAGE_SIZE = 500;

export interface AuditOrder {
  sort: AuditSortField;
  reverse: boolean;
}

export interface AuditEntryLoaders {
  byId: DataLoader<string, AuditEntry | null>;
  window(order: AuditOrder, offset: number, count: number): Promise<AuditEntry[]>;
}

export function createAuditEntryLoaders(audit: ScopedUpstream): AuditEntryLoaders {
  const byId = new DataLoader<string, AuditEntry | null>((ids) =>
    Promise.allSettled(ids.map((id) => getAuditEntry(audit, id))).then((results) =>
      results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason)),
    ),
  );
  return {
    byId,
    async window(order, offset, count) {
      const items = await fetchWindow(offset, count, AUDIT_MAX_PAGE_SIZE, (page, itemsPerPage) =>
        listAuditEntries(audit, { page, itemsPerPage, ...order }),
      );
      for (const entry of items) byId.prime(entry.id, entry);
      return items;
    },
  };
}
