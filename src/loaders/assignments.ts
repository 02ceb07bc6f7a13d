/**
 * Safe assignments (which account a safe exposes through which listener). The PAM API only lists them per
 * safe, so "the safes of an account" and "the safes of a listener" need every safe's list: one scan per
 * request, shared by every parent that asks, built on the same per-safe loader as `Safe.accounts`.
 */
import DataLoader from 'dataloader';
import type { PamAssignment, PamSafe } from '../upstream/pam/index.js';
import { listSafeAssignments, PAM_MAX_PAGE_SIZE } from '../upstream/pam/index.js';
import type { ScopedUpstream } from '../upstream/scope.js';
import type { ParentLists } from '../views/parent-lists.js';
import { fetchAllPages } from './paging.js';
import type { Collection } from './pam-collection.js';
import { nullIfNotFound, settleEach } from './settle.js';

export interface AssignmentIndex {
  /** Account id → its assignments (safe and listener), in safe id order. */
  byAccount: Map<number, PamAssignment[]>;
  /** Listener id → ids of the safes that expose something through it, ascending. */
  safesByListener: Map<number, number[]>;
  safes: Map<number, PamSafe>;
}

/**
 * With shared lists (src/views), the index of the last build per scope, and what it was built from: an account page
 * needs every safe's list, and rebuilding maps over all of them for each operation was most of its work. It is
 * reused while the safes and every list are the very same objects (a refresh or a write replaces them).
 */
const SHARED_INDEX = new WeakMap<
  object,
  { safes: readonly PamSafe[]; lists: ReadonlyArray<unknown>; index: Promise<AssignmentIndex> }
>();

const sameItems = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

export class SafeAssignments {
  /** Safe id → every assignment of that safe (null when the safe does not exist). */
  readonly bySafe: DataLoader<number, PamAssignment[] | null>;
  #index: Promise<AssignmentIndex> | undefined;

  /** `shared`: the lists of the caller's credential (src/views), instead of fetching for this request alone. */
  constructor(
    pam: ScopedUpstream,
    private readonly safes: Collection<PamSafe>,
    private readonly shared?: ParentLists<PamAssignment[] | null>,
  ) {
    const fetch = (upstream: ScopedUpstream, safeId: number) =>
      fetchAllPages(PAM_MAX_PAGE_SIZE, (page, pageSize) =>
        listSafeAssignments(upstream, safeId, { page, pageSize }),
      ).catch(nullIfNotFound);
    this.bySafe = new DataLoader((ids) =>
      settleEach(ids, (id) =>
        shared ? shared.get(id, (upstream) => fetch(upstream, id), pam.scope.trace) : fetch(pam, id),
      ),
    );
  }

  index(): Promise<AssignmentIndex> {
    this.#index ??= this.#build();
    return this.#index;
  }

  async #build(): Promise<AssignmentIndex> {
    const safes = await this.safes.all();
    const lists = await this.bySafe.loadMany(safes.map((safe) => safe.id));
    if (!this.shared) return indexOf(safes, lists);
    const cached = SHARED_INDEX.get(this.shared);
    if (cached && sameItems(cached.safes, safes) && sameItems(cached.lists, lists)) return cached.index;
    const index = Promise.resolve().then(() => indexOf(safes, lists));
    SHARED_INDEX.set(this.shared, { safes, lists, index });
    return index;
  }
}

function indexOf(
  safes: readonly PamSafe[],
  lists: ReadonlyArray<PamAssignment[] | null | Error>,
): AssignmentIndex {
  const byAccount = new Map<number, PamAssignment[]>();
  const safesByListener = new Map<number, number[]>();
  for (const list of lists) {
    if (list instanceof Error) throw list;
    for (const assignment of list ?? []) {
      push(byAccount, assignment.account.id, assignment);
      const ids = safesByListener.get(assignment.listener.id) ?? [];
      if (!ids.includes(assignment.safeId)) ids.push(assignment.safeId);
      safesByListener.set(assignment.listener.id, ids);
    }
  }
  for (const ids of safesByListener.values()) ids.sort((a, b) => a - b);
  return { byAccount, safesByListener, safes: new Map(safes.map((safe) => [safe.id, safe])) };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
