/**
 * One PAM collection as seen by one request: a by-id DataLoader that picks the cheaper of "one GET per id"
 * and "page the list", the whole collection when a relation needs a scan, and windows for connections.
 * The PAM API has no batch endpoint and no filter, but lists are ordered by ascending id, so a page also
 * proves which wanted ids do not exist (or are invisible to this caller): the ids it skipped over.
 */
import DataLoader from 'dataloader';
import { PAM_MAX_PAGE_SIZE, type PamPage } from '../upstream/pam/index.js';
import { shared } from './memo.js';
import { fetchAllPages, fetchWindow } from './paging.js';
import { settleEach } from './settle.js';

export interface CollectionSource<T extends { id: number }> {
  list(page: PamPage): Promise<T[]>;
  get(id: number): Promise<T | null>;
}

/** What the schema reads from a PAM collection, whether the upstream (per request) or a shared view answers. */
export interface Collection<T extends { id: number }> {
  readonly byId: DataLoader<number, T | null>;
  /** The whole collection (visible to this caller), ascending by id. */
  all(): Promise<readonly T[]>;
  /** Items [offset, offset + count) of the list, in ascending id order. */
  window(offset: number, count: number): Promise<readonly T[]>;
}

export interface ByIdStrategy {
  /** Page size used when paging the list for by-id loads and scans (1..1000). */
  pageSize: number;
  /** Most pages fetched at once when paging for by-id loads. */
  concurrency: number;
  /**
   * Fewest ids in one batch before paging is considered: below it, one small GET per id (sent together)
   * is preferred to a page of up to `pageSize` objects even when it takes more requests.
   */
  minIdsForPaging: number;
}

export class PamCollection<T extends { id: number }> implements Collection<T> {
  readonly byId: DataLoader<number, T | null>;
  #all: Promise<readonly T[]> | undefined;
  /** Every list page this request asked for, by `page:pageSize`: the same GET is never sent twice. */
  readonly #pages = new Map<string, Promise<T[]>>();

  constructor(
    private readonly source: CollectionSource<T>,
    private readonly strategy: ByIdStrategy,
  ) {
    this.byId = new DataLoader((ids) => this.#loadMany(ids), { maxBatchSize: 5000 });
  }

  /** The whole collection (visible to this caller), fetched once per request. */
  all(): Promise<readonly T[]> {
    this.#all ??= this.#scan();
    return this.#all;
  }

  /** Items [offset, offset + count) of the list, in ascending id order. */
  async window(offset: number, count: number): Promise<T[]> {
    const items = await fetchWindow(offset, count, PAM_MAX_PAGE_SIZE, (page, pageSize) =>
      this.#list(page, pageSize),
    );
    this.#prime(items);
    return items;
  }

  #list(page: number, pageSize: number): Promise<T[]> {
    return shared(this.#pages, `${page}:${pageSize}`, () => this.source.list({ page, pageSize }));
  }

  #prime(items: readonly T[]): void {
    for (const item of items) this.byId.prime(item.id, item);
  }

  async #scan(): Promise<T[]> {
    const items = await fetchAllPages(this.strategy.pageSize, (page, pageSize) => this.#list(page, pageSize));
    this.#prime(items);
    return items;
  }

  async #loadMany(ids: readonly number[]): Promise<Array<T | null | Error>> {
    if (this.#all) {
      const all = await this.#all;
      const byId = new Map(all.map((item) => [item.id, item]));
      return ids.map((id) => byId.get(id) ?? null);
    }
    const valid = ids.filter((id) => Number.isSafeInteger(id) && id > 0);
    const maxId = Math.max(0, ...valid);
    // Ids are assigned in ascending order, so reaching id N takes about N / pageSize pages.
    const pagesNeeded = Math.ceil(maxId / this.strategy.pageSize);
    const pagingIsCheaper = pagesNeeded < valid.length;
    if (valid.length >= this.strategy.minIdsForPaging && pagingIsCheaper)
      return this.#loadByPaging(ids, maxId);
    return settleEach(ids, (id) => this.source.get(id));
  }

  /** Pages the list until every wanted id is found or ruled out (the list has passed it, or ended). */
  async #loadByPaging(ids: readonly number[], maxId: number): Promise<Array<T | null>> {
    const found = new Map<number, T>();
    const { pageSize, concurrency } = this.strategy;
    let next = 1;
    let lastSeen = 0;
    for (;;) {
      // Fetch as many pages at once as the remaining id range is expected to span, within the concurrency.
      const expected = Math.max(1, Math.ceil((maxId - lastSeen) / pageSize));
      const pages = Array.from({ length: Math.min(concurrency, expected) }, (_, i) => next + i);
      next += pages.length;
      const batches = await Promise.all(pages.map((page) => this.#list(page, pageSize)));
      let ended = false;
      for (const batch of batches) {
        for (const item of batch) found.set(item.id, item);
        lastSeen = Math.max(lastSeen, batch.at(-1)?.id ?? 0);
        if (batch.length < pageSize) ended = true;
      }
      if (ended || lastSeen >= maxId) break;
    }
    this.#prime([...found.values()]);
    return ids.map((id) => found.get(id) ?? null);
  }
}

/**
 * A collection answered from a shared view's snapshot (src/views): by id, windows and scans are lookups and slices
 * of the same snapshot, with no paging and no upstream request.
 */
export class ViewCollection<T extends { id: number }> implements Collection<T> {
  readonly byId: DataLoader<number, T | null>;

  constructor(
    private readonly snapshot: () => Promise<{ items: readonly T[]; byId: ReadonlyMap<number, T> }>,
  ) {
    this.byId = new DataLoader(async (ids) => {
      const { byId } = await this.snapshot();
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  async all(): Promise<readonly T[]> {
    return (await this.snapshot()).items;
  }

  async window(offset: number, count: number): Promise<readonly T[]> {
    return (await this.snapshot()).items.slice(offset, offset + count);
  }
}
