/**
 * Who may manage each account (docs/upstreams.md §1.3): one paged list per account, batched per request.
 */
import DataLoader from 'dataloader';
import { listGrantedUsers, PAM_MAX_PAGE_SIZE, type PamRef } from '../upstream/pam/index.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import type { ParentLists } from '../views/parent-lists.js';
import { fetchAllPages } from './paging.js';
import { nullIfNotFound, settleEach } from './settle.js';

export class GrantedUsers {
  /** Account id → users who may manage it (null when the account is absent or invisible). */
  readonly byAccount: DataLoader<number, PamRef[] | null>;

  /** `shared`: the lists of the caller's credential (src/views), instead of fetching for this request alone. */
  constructor(pam: ScopedUpstream, shared?: ParentLists<PamRef[] | null>) {
    const fetch = (upstream: ScopedUpstream, id: number) =>
      fetchAllPages(PAM_MAX_PAGE_SIZE, (page, pageSize) =>
        listGrantedUsers(upstream, id, { page, pageSize }),
      ).catch(nullIfNotFound);
    this.byAccount = new DataLoader((ids) =>
      settleEach(ids, (id) =>
        shared ? shared.get(id, (upstream) => fetch(upstream, id), pam.scope.trace) : fetch(pam, id),
      ),
    );
  }
}
