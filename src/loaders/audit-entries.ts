/**
 * Audit entries: a DataLoader by id and windows of the sorted list; from the caller's shared Audit view when there
 * is one (any id, and the creation order both ways), otherwise from the Audit API.
 */
import DataLoader from 'dataloader';
import {
  AUDIT_MAX_PAGE_SIZE,
  type AuditDefaults,
  type AuditEntry,
  type AuditSortField,
  getAuditDefaults,
  getAuditEntry,
  listAuditEntries,
} from '../upstream/audit.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import type { AuditViewData } from './audit-log.js';
import { shared } from './memo.js';
import { fetchWindow } from './paging.js';
import { settleEach } from './settle.js';

export interface AuditOrder {
  sort: AuditSortField;
  reverse: boolean;
}

/** Audit entries of one request: by id (batched, cached) and windows of the sorted list. */
export class AuditEntries {
  readonly byId: DataLoader<string, AuditEntry | null>;
  /** The same page with the same order is fetched once per request, however many fields ask for it. */
  readonly #pages = new Map<string, Promise<AuditEntry[]>>();

  constructor(
    private readonly audit: ScopedUpstream,
    private readonly view?: AuditViewData,
    /** The caller's shared `options/` (src/views/audit-scopes.ts), when views are read. */
    private readonly sharedDefaults?: () => Promise<AuditDefaults>,
  ) {
    this.byId = new DataLoader(async (ids) => {
      const data = await view?.();
      if (data) return ids.map((id) => data.byId.get(id) ?? null);
      return settleEach(ids, (id) => getAuditEntry(audit, id));
    });
  }

  #defaults: Promise<AuditDefaults> | undefined;

  /** What a new entry gets by default (`options/`): shared under the view rules, or asked once per request. */
  defaults(): Promise<AuditDefaults> {
    this.#defaults ??= this.sharedDefaults ? this.sharedDefaults() : getAuditDefaults(this.audit);
    return this.#defaults;
  }

  /** Items [offset, offset + count) of the list in the given order. */
  async window(order: AuditOrder, offset: number, count: number): Promise<AuditEntry[]> {
    // The view holds the creation order (the default); other orders are the upstream's to define.
    const data = order.sort === 'creationtime' ? await this.view?.() : undefined;
    if (data) {
      const all = data.entries;
      if (order.reverse) return all.slice(offset, offset + count);
      const end = Math.max(0, all.length - offset);
      return all.slice(Math.max(0, end - count), end).reverse();
    }
    const items = await fetchWindow(offset, count, AUDIT_MAX_PAGE_SIZE, (page, itemsPerPage) =>
      this.#page(order, page, itemsPerPage),
    );
    for (const entry of items) this.byId.prime(entry.id, entry);
    return items;
  }

  #page(order: AuditOrder, page: number, itemsPerPage: number): Promise<AuditEntry[]> {
    return shared(this.#pages, `${order.sort}:${order.reverse}:${page}:${itemsPerPage}`, () =>
      listAuditEntries(this.audit, { page, itemsPerPage, ...order }),
    );
  }
}
