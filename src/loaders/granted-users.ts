/**
 * Who may manage each account (docs/upstreams.md §1.3): one paged list per account, batched per request.
 */
import DataLoader from 'dataloader';
import { listGrantedUsers, PAM_MAX_PAGE_SIZE, type PamRef } from '../upstream/pam/index.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import { fetchAllPages } from './paging.js';
import { nullIfNotFound, settleEach } from './settle.js';

export class GrantedUsers {
  /** Account id → users who may manage it (null when the account is absent or invisible). */
  readonly byAccount: DataLoader<number, PamRef[] | null>;

  constructor(pam: ScopedUpstream) {
    this.byAccount = new DataLoader((ids) =>
      settleEach(ids, (id) =>
        fetchAllPages(PAM_MAX_PAGE_SIZE, (page, pageSize) =>
          listGrantedUsers(pam, id, { page, pageSize }),
        ).catch(nullIfNotFound),
      ),
    );
  }
}
