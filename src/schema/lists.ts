/**
 * The schema's side of filtering, ordering and counting lists (src/lists/query.ts): for each listed type, its
 * `<Type>Filter` input (from its description, plus the extra filters declared beside it), its `<Type>OrderField`
 * enum and `<Type>Order` input, the arguments of every connection of that type, and the resolution of a page.
 */
import type { InputFieldRef, InputObjectRef } from '@pothos/core';
import type { GatewayContext } from '../context.js';
import {
  allOf,
  type Direction,
  type FilterField,
  fieldPredicate,
  filterFieldsOf,
  listFingerprint,
  type Predicate,
  type SortField,
  sorted,
  sortFieldsOf,
} from '../lists/query.js';
import type { AnyResource, EnumSpec } from '../resources/describe.js';
import { type BuilderTypes, builder } from './builder.js';
import { enumRef } from './derive.js';
import { SortDirectionEnum } from './enums.js';
import { type Connection, type ConnectionArgs, pageArgs, toConnection, windowOf } from './paging.js';

export const StringFilter = builder.inputType('StringFilter', {
  description: 'Conditions on a text field, compared case-insensitively; both given means both must hold.',
  fields: (t) => ({
    equals: t.string({ description: 'The whole value, ignoring case.' }),
    contains: t.string({ description: 'A part of the value, ignoring case.' }),
  }),
});

/** A filter a description cannot say: a relation, or an address range. */
export interface ExtraFilter<N> {
  readonly name: string;
  readonly description: string;
  /** `ID`, `String` and `DateTime` take one value; an enum takes a list of values ("any of"). */
  readonly type: 'ID' | 'String' | 'DateTime' | EnumSpec;
  /** The condition for a given value; may load what it needs, and fail with BAD_USER_INPUT. */
  build(value: unknown, ctx: GatewayContext): Predicate<N> | Promise<Predicate<N>>;
}

type OrderRef = InputObjectRef<BuilderTypes, { field: string; direction: Direction }>;

export interface ListDef<N extends object> {
  readonly typeName: string;
  readonly fields: readonly FilterField[];
  readonly sorts: readonly SortField[];
  readonly extras: readonly ExtraFilter<N>[];
  readonly filterRef: ReturnType<typeof filterInput>;
  readonly orderRef: OrderRef;
}

export interface ListArgs extends ConnectionArgs {
  filter?: Record<string, unknown> | null;
  orderBy?: { field: string; direction: Direction } | null;
}

const describeFilter = (f: FilterField): string => {
  switch (f.mode) {
    case 'string':
      return `${f.description} Matched by \`equals\` or \`contains\`, ignoring case.`;
    case 'exact':
      return `${f.description} Matches this value exactly (case-sensitive).`;
    case 'exactCi':
      return `${f.description} Matches this value, ignoring case.`;
    case 'anyOf':
      return `${f.description} Matches any of these values.`;
    case 'anyOfText':
      return `${f.description} Matches any of these values, ignoring case.`;
    case 'equals':
      return `${f.description} Matches this value.`;
  }
};

function filterInput<N>(typeName: string, fields: readonly FilterField[], extras: readonly ExtraFilter<N>[]) {
  return builder.inputType(`${typeName}Filter`, {
    description: `Conditions on ${typeName} items; every condition given must hold (AND).`,
    fields: (t) => {
      const out: Record<string, InputFieldRef<BuilderTypes, unknown>> = {};
      for (const f of fields) {
        const description = describeFilter(f);
        if (f.mode === 'string') out[f.name] = t.field({ type: StringFilter, description });
        else if (f.mode === 'anyOf' && f.spec)
          out[f.name] = t.field({ type: [enumRef(f.spec)], description });
        else if (f.mode === 'anyOfText') out[f.name] = t.stringList({ description });
        else if (f.mode === 'equals') out[f.name] = t.boolean({ description });
        else out[f.name] = t.string({ description });
      }
      for (const extra of extras) {
        const description = extra.description;
        if (extra.type === 'ID') out[extra.name] = t.id({ description });
        else if (extra.type === 'String') out[extra.name] = t.string({ description });
        else if (extra.type === 'DateTime') out[extra.name] = t.field({ type: 'DateTime', description });
        else out[extra.name] = t.field({ type: [enumRef(extra.type)], description });
      }
      return out;
    },
  });
}

function orderInput(typeName: string, sorts: readonly SortField[]) {
  const fieldEnum = builder.enumType(`${typeName}OrderField`, {
    description: `Fields ${typeName} lists can be ordered by.`,
    values: Object.fromEntries(sorts.map((s) => [s.name, { value: s.name, description: s.description }])),
  });
  return builder.inputType(`${typeName}Order`, {
    description: `How to order ${typeName} items. Ties are broken by id in the same direction.`,
    fields: (t) => ({
      field: t.field({ type: fieldEnum, required: true, description: 'Field to order by.' }),
      direction: t.field({
        type: SortDirectionEnum,
        required: true,
        description: 'Ascending or descending.',
      }),
    }),
  });
}

/** The filter and order types of one described resource, created once per type. */
export function listDef<N extends object>(
  typeName: string,
  resource: AnyResource,
  extras: readonly ExtraFilter<N>[] = [],
  /** An order input of the type's own (audit entries keep theirs), with the fields it names. */
  order?: { sorts: readonly SortField[]; ref: OrderRef },
): ListDef<N> {
  const fields = filterFieldsOf(resource);
  const sorts = order?.sorts ?? sortFieldsOf(resource);
  // A nested field or an extra filter under a name already taken would silently replace it.
  const names = [...fields.map((f) => f.name), ...extras.map((e) => e.name)];
  const clash = names.find((name, i) => names.indexOf(name) !== i);
  if (clash) throw new Error(`${typeName}Filter would have two fields named ${clash}`);
  return {
    typeName,
    fields,
    sorts,
    extras,
    filterRef: filterInput(typeName, fields, extras),
    orderRef: order?.ref ?? (orderInput(typeName, sorts) as OrderRef),
  };
}

type ArgBuilder = Parameters<typeof pageArgs>[0];

/** `first`, `after`, `filter` and `orderBy` of a connection of `def`'s type. */
export function listArgs<N extends object>(arg: ArgBuilder, def: ListDef<N>, plural: string, order: string) {
  return {
    ...pageArgs(arg, plural),
    filter: arg({ type: def.filterRef, description: `Only the ${plural} that meet every condition given.` }),
    orderBy: arg({
      type: def.orderRef,
      description: `Order of the ${plural} (default: ${order}). A cursor is valid only with the filter and order it came from.`,
    }),
  };
}

/** A connection with its count: a number, or how to get it when asked (a plain page does not need the whole list). */
export type Counted<T> = Connection<T> & { totalCount: number | null | (() => Promise<number | null>) };

export interface ListSource<T, N extends object> {
  /** The whole list, in its default order. */
  all(): Promise<readonly T[]>;
  /** A page of the default order, when it is cheaper than the whole list. */
  window?: ((offset: number, count: number) => Promise<readonly T[]>) | undefined;
  /** The node an item is filtered and ordered by (default: the item itself). */
  nodeOf?: ((item: T) => N) | undefined;
  /** Whole nodes, when the list's items carry only stubs and a filter or order needs more. */
  complete?: ((items: readonly T[]) => Promise<readonly T[]>) | undefined;
  /** Orders items with equal keys, ascending (default: by the node's `id`). */
  tie?: ((a: T, b: T) => number) | undefined;
}

export async function predicateOf<N extends object>(
  def: ListDef<N>,
  filter: Record<string, unknown>,
  ctx: GatewayContext,
): Promise<Predicate<N> | undefined> {
  const predicates: Array<Predicate<N> | undefined> = def.fields.map(
    (f) => fieldPredicate(f, filter[f.name]) as Predicate<N> | undefined,
  );
  for (const extra of def.extras) {
    const value = filter[extra.name];
    if (value !== undefined && value !== null) predicates.push(await extra.build(value, ctx));
  }
  return allOf(predicates);
}

/** A page of a list, filtered, ordered and counted as its arguments say. */
export async function resolveList<T, N extends object>(
  def: ListDef<N>,
  args: ListArgs,
  ctx: GatewayContext,
  source: ListSource<T, N>,
): Promise<Counted<T>> {
  const filter = args.filter ?? undefined;
  const orderBy = args.orderBy ?? undefined;
  const window = windowOf(args, ctx.limits, listFingerprint(filter, orderBy));
  if (!filter && !orderBy && source.window) {
    const page = await source.window(window.offset, window.first + 1);
    return { ...toConnection(page, window), totalCount: async () => (await source.all()).length };
  }
  const nodeOf = source.nodeOf ?? ((item: T) => item as unknown as N);
  let items = await source.all();
  if ((filter || orderBy) && source.complete) items = await source.complete(items);
  const predicate = filter ? await predicateOf(def, filter, ctx) : undefined;
  if (predicate) items = items.filter((item) => predicate(nodeOf(item)));
  if (orderBy) {
    const field = def.sorts.find((s) => s.name === orderBy.field);
    if (field) {
      const idOf = (item: T) => Number((nodeOf(item) as { id?: unknown }).id);
      const tie = source.tie ?? ((a: T, b: T) => idOf(a) - idOf(b));
      items = sorted(items, field, orderBy.direction, nodeOf, tie);
    }
  }
  return {
    ...toConnection(items.slice(window.offset, window.offset + window.first + 1), window),
    totalCount: items.length,
  };
}
