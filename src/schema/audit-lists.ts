/**
 * Filtering, ordering and counting audit entries: `Query.auditEntries`, `Account.auditEntries` and
 * `Server.auditEntries`. The candidates come from the caller's Audit view (complete, no upstream request) or, with
 * views off or bypassed, from a scan of the log bounded by AUDIT_SCAN_MAX_ENTRIES and the request budget; a scan cut
 * short answers `truncated: true` and a null `totalCount`. The gateway sorts the candidates itself; only a view's
 * own order (newest first, the default) is taken as it is.
 */
import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import { parseAddressQuery } from '../lists/address.js';
import type { Direction, Predicate, SortField } from '../lists/query.js';
import { listFingerprint, sorted } from '../lists/query.js';
import type { ScanResult } from '../loaders/audit-log.js';
import { networkOf } from '../match/ip.js';
import { entryAddress } from '../match/server.js';
import { fieldEntries } from '../resources/describe.js';
import { AuditEntry as AuditEntryResource } from '../resources/index.js';
import { AUDIT_SORT_FIELDS, type AuditEntry, type AuditSortField } from '../upstream/audit.js';
import { builder } from './builder.js';
import type { AuditEntryConnectionShape } from './connections.js';
import { AuditSortFieldEnum, SortDirectionEnum } from './enums.js';
import { type ListArgs, listDef, predicateOf } from './lists.js';
import { toConnection, type Window, windowOf } from './paging.js';

export const AuditOrderInput = builder.inputType('AuditEntryOrder', {
  description: 'How to order audit entries. Ties are broken by id in the same direction.',
  fields: (t) => ({
    field: t.field({ type: AuditSortFieldEnum, required: true, description: 'Field to order by.' }),
    direction: t.field({ type: SortDirectionEnum, required: true, description: 'Ascending or descending.' }),
  }),
});

/** The decoded entry's key of each upstream field (the description says which upstream name each key reads). */
const KEY_OF: ReadonlyMap<string, string> = new Map(
  fieldEntries(AuditEntryResource)
    .filter(([, f]) => f.access !== 'write' && f.kind === 'text')
    .map(([key, f]) => [f.upstream, key]),
);

const TIMES: ReadonlySet<AuditSortField> = new Set(['creationtime', 'last_update_time']);

const AUDIT_SORTS: SortField[] = AUDIT_SORT_FIELDS.map((field) => {
  const key = KEY_OF.get(field) ?? field;
  return {
    name: field,
    description: `Upstream \`${field}\`.`,
    kind: TIMES.has(field) ? 'time' : 'text',
    read: (entry: object) => (entry as Record<string, unknown>)[key],
  };
});

const instantOf = (value: unknown, name: string): number => {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError(`${name} is not a date-time`);
  return ms;
};

export const AuditEntryList = listDef<AuditEntry>(
  'AuditEntry',
  AuditEntryResource,
  [
    {
      name: 'createdAfter',
      description: 'Entries recorded strictly after this instant.',
      type: 'DateTime',
      build: (value) => {
        const after = instantOf(value, 'createdAfter');
        return (entry) => Date.parse(entry.createdAt) > after;
      },
    },
    {
      name: 'createdBefore',
      description: 'Entries recorded strictly before this instant.',
      type: 'DateTime',
      build: (value) => {
        const before = instantOf(value, 'createdBefore');
        return (entry) => Date.parse(entry.createdAt) < before;
      },
    },
    {
      name: 'ipAddress',
      description:
        'An IP address: entries recorded against it. A CIDR: entries whose address lies inside it (host bits of ' +
        'the CIDR are ignored). Anything else is BAD_USER_INPUT.',
      type: 'String',
      build: (value): Predicate<AuditEntry> => {
        const query = parseAddressQuery(String(value));
        return (entry) => {
          const ip = entryAddress(entry);
          if (!ip || ip.version !== query.version) return false;
          return query.kind === 'ip'
            ? ip.value === query.value
            : networkOf(ip.value, ip.version, query.prefix) === query.network;
        };
      },
    },
  ],
  { sorts: AUDIT_SORTS, ref: AuditOrderInput },
);

/** Entries newest first, all of those that `match` (or every entry), unless `truncated`. */
export interface AuditCandidates {
  entries: readonly AuditEntry[];
  truncated: boolean;
  /** True when `entries` are in the default order already (a view's snapshot): no sort needed for it. */
  ordered: boolean;
}

export interface AuditListSource {
  /**
   * Entries that meet `match`, newest first: every one, or (when the page needs no more) at least the first `need`;
   * a scan stops there, a view answers them all anyway.
   */
  candidates(match?: (entry: AuditEntry) => boolean, need?: number): Promise<AuditCandidates>;
  /** The whole list as a view's snapshot, when there is one: other orders are kept per snapshot (`ascending`). */
  snapshot?(): Promise<readonly AuditEntry[] | undefined>;
  /** A page of the default order (newest first), when nothing else is asked: cheaper than every candidate. */
  window?(offset: number, count: number): Promise<{ entries: readonly AuditEntry[]; truncated: boolean }>;
}

export type CountedAuditConnection = AuditEntryConnectionShape & { totalCount: number | null };

const byId = (a: AuditEntry, b: AuditEntry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Whether the field being resolved selects `name` directly (or through a fragment) on its result. */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return within(selection.selectionSet);
      const fragmentName = selection.name.value;
      if (seen.has(fragmentName)) return false;
      seen.add(fragmentName);
      return within(info.fragments[fragmentName]?.selectionSet);
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}

/** Candidates from a trail or a scan (src/loaders/audit-log.ts). */
export async function auditCandidates(result: Promise<ScanResult>): Promise<AuditCandidates> {
  const { entries, truncated, fromView } = await result;
  return { entries, truncated, ordered: fromView === true };
}

/** Each snapshot's entries in ascending order of a field, sorted on first use and dropped with the snapshot. */
const ORDERS = new WeakMap<readonly AuditEntry[], Map<string, readonly AuditEntry[]>>();

function ascending(snapshot: readonly AuditEntry[], field: SortField): readonly AuditEntry[] {
  let byField = ORDERS.get(snapshot);
  if (!byField) {
    byField = new Map();
    ORDERS.set(snapshot, byField);
  }
  let order = byField.get(field.name);
  if (!order) {
    order = sorted(snapshot, field, 'asc', (e) => e, byId);
    byField.set(field.name, order);
  }
  return order;
}

/**
 * A page of a view's snapshot in another order than newest first: one pass over the snapshot's kept order of that
 * field (read backwards for descending, which reverses the ties by id too), filtering and counting as it goes.
 */
function fromSortedSnapshot(
  snapshot: readonly AuditEntry[],
  orderBy: { field: string; direction: Direction },
  predicate: Predicate<AuditEntry> | undefined,
  window: Window,
): CountedAuditConnection {
  const field = AUDIT_SORTS.find((s) => s.name === orderBy.field) ?? (AUDIT_SORTS[0] as SortField);
  const order = ascending(snapshot, field);
  const page: AuditEntry[] = [];
  const end = window.offset + window.first + 1;
  let total = 0;
  for (let i = 0; i < order.length; i++) {
    const entry = order[orderBy.direction === 'asc' ? i : order.length - 1 - i] as AuditEntry;
    if (predicate && !predicate(entry)) continue;
    if (total >= window.offset && total < end) page.push(entry);
    total++;
  }
  return { ...toConnection(page, window), truncated: false, totalCount: total };
}

/** A page of audit entries, filtered, ordered and counted as the arguments say. */
export async function resolveAuditList(
  args: ListArgs,
  ctx: GatewayContext,
  source: AuditListSource,
  info: GraphQLResolveInfo,
): Promise<CountedAuditConnection> {
  const filter = args.filter ?? undefined;
  const orderBy = args.orderBy ?? undefined;
  const window = windowOf(args, ctx.limits, listFingerprint(filter, orderBy));
  const count = async () => {
    const all = await source.candidates();
    return all.truncated ? null : all.entries.length;
  };
  // The default order (newest first) needs no candidates beyond the page, with or without its explicit `orderBy`.
  const defaultOrder = !orderBy || (orderBy.field === 'creationtime' && orderBy.direction === 'desc');
  if (!filter && defaultOrder && source.window) {
    const page = await source.window(window.offset, window.first + 1);
    // A count needs every entry: when it is asked for and its scan is cut short, the connection says so too.
    if (!selects(info, 'totalCount'))
      return { ...toConnection(page.entries, window), truncated: page.truncated, totalCount: null };
    const total = await count();
    return {
      ...toConnection(page.entries, window),
      truncated: page.truncated || total === null,
      totalCount: total,
    };
  }
  const predicate = filter ? await predicateOf(AuditEntryList, filter, ctx) : undefined;
  const snapshot = !defaultOrder && source.snapshot ? await source.snapshot() : undefined;
  if (snapshot && orderBy) return fromSortedSnapshot(snapshot, orderBy, predicate, window);
  // In the default order, a page needs only the newest matches up to its end, unless the count is asked for too:
  // with views off, that scan stops early instead of reading the log to its limit.
  const need =
    defaultOrder && !selects(info, 'totalCount')
      ? window.offset + window.first + 1
      : Number.POSITIVE_INFINITY;
  const found = await source.candidates(predicate, need);
  let entries = found.entries;
  const order = orderBy ?? { field: 'creationtime', direction: 'desc' };
  const isDefault = order.field === 'creationtime' && order.direction === 'desc';
  if (!(isDefault && found.ordered)) {
    const field = AUDIT_SORTS.find((s) => s.name === order.field) ?? AUDIT_SORTS[0];
    if (field) entries = sorted(entries, field, order.direction, (e) => e, byId);
  }
  return {
    ...toConnection(entries.slice(window.offset, window.offset + window.first + 1), window),
    truncated: found.truncated,
    totalCount: found.truncated || need !== Number.POSITIVE_INFINITY ? null : entries.length,
  };
}
