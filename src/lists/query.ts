/**
 * Filtering, ordering and counting lists (issue 12). Neither upstream can filter, sort or count, so the gateway does
 * it over the whole list it already holds: a shared view's snapshot, or the list fetched for the request (VIEWS=off).
 * What a resource's lists can be filtered and ordered by is read from its description (`filter`, `sort` in
 * src/resources); fields that a description cannot say (relations, address ranges) are declared beside it as
 * extra filters.
 *
 * Semantics, the same for every list:
 * - the fields of one filter combine with AND; a list value means "any of" (an empty list matches nothing);
 * - a text `StringFilter` (`equals`, `contains`) compares case-insensitively; `exact` fields compare as given,
 *   `exactCi` fields case-insensitively; a field without a value (null) matches no text condition;
 * - text orders by code unit after `toLowerCase()` (null first when ascending), numbers as numbers, times as
 *   instants, and ties break by id in the same direction.
 */
import { createHash } from 'node:crypto';
import {
  type AnyField,
  type AnyResource,
  type EnumSpec,
  fieldEntries,
  isReadable,
} from '../resources/describe.js';

export type Direction = 'asc' | 'desc';

/** One field of a resource's filter input, found in its description. */
export interface FilterField {
  /** The field's name in the filter input (its key in the description; nested fields under their own key). */
  readonly name: string;
  readonly description: string;
  readonly mode: 'string' | 'exact' | 'exactCi' | 'anyOf' | 'anyOfText' | 'equals';
  /** `equals` is a boolean's; the enum of an `anyOf` field is `spec`. */
  readonly spec?: EnumSpec | undefined;
  read(item: object): unknown;
}

/** One value of a resource's order-field enum. */
export interface SortField {
  /** The enum value: `ID`, or the field's key in UPPER_SNAKE case. */
  readonly name: string;
  readonly description: string;
  readonly kind: 'text' | 'number' | 'time';
  read(item: object): unknown;
}

const upperSnake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
const get = (item: object, key: string): unknown => (item as Record<string, unknown>)[key];

function filterMode(f: AnyField): FilterField['mode'] | undefined {
  if (!f.filter) return undefined;
  if (f.kind === 'enum') return 'anyOf';
  if (f.kind === 'boolean') return 'equals';
  if (f.kind !== 'text') return undefined;
  if (f.filter === 'anyOf') return 'anyOfText';
  return f.filter === true ? 'string' : f.filter;
}

/** The filterable fields of a resource, nested objects' fields included (read through their parent). */
export function filterFieldsOf(
  r: AnyResource,
  via?: (item: object) => object | null | undefined,
): FilterField[] {
  const fields: FilterField[] = [];
  for (const [key, f] of fieldEntries(r)) {
    // A secret is never a condition: matching on it would reveal it one guess at a time.
    if (!isReadable(f) || f.secret) continue;
    const parent = via ?? ((item: object) => item);
    if (f.kind === 'object') {
      const nested = (item: object) => {
        const value = get(parent(item) ?? {}, key);
        return value && typeof value === 'object' ? value : null;
      };
      fields.push(...filterFieldsOf(f.resource, nested));
      continue;
    }
    const mode = filterMode(f);
    if (!mode) continue;
    fields.push({
      name: key,
      description: f.description,
      mode,
      spec: f.kind === 'enum' ? f.spec : undefined,
      read: (item) => {
        const holder = parent(item);
        return holder ? get(holder, key) : undefined;
      },
    });
  }
  return fields;
}

/** The order fields of a resource: `ID`, then its sortable fields in description order. */
export function sortFieldsOf(r: AnyResource): SortField[] {
  const fields: SortField[] = [
    { name: 'ID', description: 'The PAM id, as a number.', kind: 'number', read: (item) => get(item, 'id') },
  ];
  for (const [key, f] of fieldEntries(r)) {
    // Nor an order: sorting by a secret reveals it one comparison at a time.
    if (!f.sort || !isReadable(f) || f.secret) continue;
    fields.push({
      name: upperSnake(key),
      description: f.description,
      kind: f.kind === 'int' ? 'number' : 'text',
      read: (item) => get(item, key),
    });
  }
  return fields;
}

export interface StringFilterValue {
  equals?: string | null | undefined;
  contains?: string | null | undefined;
}

export type Predicate<T> = (item: T) => boolean;

const lower = (value: unknown): string | null => (typeof value === 'string' ? value.toLowerCase() : null);

/** The condition one filter field sets; undefined when its value sets none (absent or null). */
export function fieldPredicate(field: FilterField, value: unknown): Predicate<object> | undefined {
  if (value === undefined || value === null) return undefined;
  switch (field.mode) {
    case 'string': {
      const { equals, contains } = value as StringFilterValue;
      const eq = typeof equals === 'string' ? equals.toLowerCase() : null;
      const has = typeof contains === 'string' ? contains.toLowerCase() : null;
      if (eq === null && has === null) return undefined;
      return (item) => {
        const v = lower(field.read(item));
        return v !== null && (eq === null || v === eq) && (has === null || v.includes(has));
      };
    }
    case 'exact':
      return (item) => field.read(item) === value;
    case 'exactCi': {
      const wanted = String(value).toLowerCase();
      return (item) => lower(field.read(item)) === wanted;
    }
    case 'anyOf': {
      const wanted = new Set(value as readonly unknown[]);
      return (item) => wanted.has(field.read(item));
    }
    case 'anyOfText': {
      const wanted = new Set((value as readonly string[]).map((v) => v.toLowerCase()));
      return (item) => wanted.has(lower(field.read(item)) ?? '');
    }
    case 'equals':
      return (item) => field.read(item) === value;
  }
}

/** All conditions at once (AND). */
export function allOf<T>(predicates: ReadonlyArray<Predicate<T> | undefined>): Predicate<T> | undefined {
  const set = predicates.filter((p): p is Predicate<T> => p !== undefined);
  if (set.length === 0) return undefined;
  if (set.length === 1) return set[0];
  return (item) => set.every((p) => p(item));
}

/** An instant in ms; null when the value is not a timestamp. */
const instant = (value: unknown): number | null => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
};

/** The value a field is ordered by, worked out once per item: lower-cased text, a number, an instant, or null. */
function sortKey(kind: SortField['kind'], value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (kind === 'number') return Number(value);
  if (kind === 'time') return instant(value);
  return lower(value);
}

/** Null (no value, or a time that does not parse) before any value. */
function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders items by one field, ties by `tie` (ids, ascending; reversed with the direction). Sorts a copy; the input
 * (a view's snapshot) is never reordered.
 */
export function sorted<T>(
  items: readonly T[],
  field: SortField,
  direction: Direction,
  nodeOf: (item: T) => object,
  tie: (a: T, b: T) => number,
): T[] {
  const sign = direction === 'desc' ? -1 : 1;
  const keyed = items.map((item) => ({ item, key: sortKey(field.kind, field.read(nodeOf(item))) }));
  keyed.sort((a, b) => sign * (compareKeys(a.key, b.key) || tie(a.item, b.item)));
  return keyed.map((k) => k.item);
}

/** Key-order-independent JSON, so that two spellings of the same arguments give one fingerprint. */
function stable(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, stable(v)] as const)
      // An absent, null or empty condition sets nothing: `filter: {}` is no filter.
      .filter(([, v]) => v !== 'null' && v !== undefined && v !== '{}')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What a cursor is bound to: the filter and order of the list it came from. Empty without either, so that the
 * cursors of a plain list stay as they were.
 */
export function listFingerprint(filter: unknown, orderBy: unknown): string {
  const args = stable({ filter: filter ?? undefined, orderBy: orderBy ?? undefined });
  if (args === '{}') return '';
  return createHash('sha256').update(args).digest('base64url').slice(0, 12);
}
