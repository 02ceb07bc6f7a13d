/**
 * Accounts: a DataLoader by id (one request's cache and batch), and windows of the account list.
 * Listed accounts prime the by-id cache so a later `account(id:)` in the same operation costs nothing.
 */
import DataLoader from 'dataloader';
import { getAccount, listAccounts, type PamAccount } from '../upstream/pam/index.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import { fetchWindow } from './paging.js';

/** The PAM API accepts page sizes up to 1,000 (CONTRACT.md §1.1). */
const PAM_MAX_PAGE_SIZE = 1000;

export interface AccountLoaders {
  byId: DataLoader<number, PamAccount | null>;
  /** Accounts [offset, offset + count) in the upstream's order (ascending id). */
  window(offset: number, count: number): Promise<PamAccount[]>;
}

export function createAccountLoaders(pam: ScopedUpstream): AccountLoaders {
  const byId = new DataLoader<number, PamAccount | null>((ids) =>
    // One GET per id for now; per-key failures stay per key (allSettled), never fail the whole batch.
    Promise.allSettled(ids.map((id) => getAccount(pam, id))).then((results) =>
      results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason)),
    ),
  );
  return {
    byId,
    async window(offset, count) {
      const items = await fetchWindow(offset, count, PAM_MAX_PAGE_SIZE, (page, pageSize) =>
        listAccounts(pam, { page, pageSize }),
      );
      for (const account of items) byId.prime(account.id, account);
      return items;
    },
  };
}
