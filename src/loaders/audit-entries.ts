/**
 * Audit entries: a DataLoader by id and windows of the sorted list.
 */
import DataLoader from 'dataloader';
import { type AuditEntry, type AuditSortField, getAuditEntry, listAuditEntries } from '../upstream/audit.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import { AUDIT_MAX_PAGE_SIZE } from './audit-log.js';
import { shared } from './memo.js';
import { fetchWindow } from './paging.js';
import { settleEach } from './settle.js';

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
    settleEach(ids, (id) => getAuditEntry(audit, id)),
  );
  // The same page with the same order is fetched once per request, however many fields ask for it.
  const pages = new Map<string, Promise<AuditEntry[]>>();
  const listPage = (order: AuditOrder, page: number, itemsPerPage: number) =>
    shared(pages, `${order.sort}:${order.reverse}:${page}:${itemsPerPage}`, () =>
      listAuditEntries(audit, { page, itemsPerPage, ...order }),
    );
  return {
    byId,
    async window(order, offset, count) {
      const items = await fetchWindow(offset, count, AUDIT_MAX_PAGE_SIZE, (page, itemsPerPage) =>
        listPage(order, page, itemsPerPage),
      );
      for (const entry of items) byId.prime(entry.id, entry);
      return items;
    },
  };
}
