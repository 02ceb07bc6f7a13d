/**
 * A schema walker for leak tests: from the root Query type it writes operations that select every field of
 * every type reachable from the root, recursively, with arguments filled in generically. Nothing here names a
 * type or a field of pamgraph's schema, so a field added later is walked without editing any test.
 *
 * Recursion: a composite type is not expanded again below itself (a field whose type already lies on the
 * current path is left out there). A field that this rule leaves out everywhere (every path to its parent
 * runs through its own type) gets an operation of its own along a shortest path, its subtree started afresh,
 * so every reachable `Type.field` is still selected somewhere. Every selection set carries `__typename`,
 * which also lets `collectIds` find the ids of every node in a response without knowing its shape.
 */
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLUnionType,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/** Which ids to pass to an argument of ID type. */
/**
 * Candidate values for an ID argument of a field whose (named) result type is `typeName`; for an abstract
 * result type, `typeName` is each possible type in turn. An empty list leaves the field out. The first
 * candidate is the preferred one (see list arguments below).
 */
export type IdSupply = (typeName: string) => string[];

export interface WalkOptions {
  /** `first` passed to every connection-like field (any field with an Int `first` argument). Default 5. */
  pageSize?: number;
}

export interface WalkOperation {
  /** Operation name, unique within one walk. */
  name: string;
  /** The root field (and variant) the operation exercises. */
  rootField: string;
  document: string;
}

type Composite = GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType;

function fieldsOf(type: GraphQLNamedType): Array<GraphQLField<unknown, unknown>> {
  return isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
}

function isComposite(type: GraphQLNamedType): type is Composite {
  return isCompositeType(type);
}

/** The object types a field's named type stands for: itself, or the possible types of an abstract type. */
function concreteTypes(schema: GraphQLSchema, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isAbstractType(type)) return schema.getPossibleTypes(type);
  return isObjectType(type) ? [type] : [];
}

function literal(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** A value for an input type that is not an ID: enums take their first value, input objects every field. */
function sampleValue(type: GraphQLInputType, name: string, pageSize: number): string | undefined {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = sampleValue(nullable.ofType, name, pageSize);
    return item === undefined ? undefined : `[${item}]`;
  }
  if (isEnumType(nullable)) return nullable.getValues()[0]?.name;
  if (isInputObjectType(nullable)) {
    const parts: string[] = [];
    for (const field of Object.values(nullable.getFields())) {
      const value = sampleValue(field.type, field.name, pageSize);
      if (value === undefined) {
        if (isNonNullType(field.type)) return undefined;
        continue;
      }
      parts.push(`${field.name}: ${value}`);
    }
    return `{${parts.join(', ')}}`;
  }
  if (isScalarType(nullable)) {
    switch (nullable.name) {
      case 'Int':
        return String(name === 'first' ? pageSize : 1);
      case 'Float':
        return '1';
      case 'Boolean':
        return 'true';
      case 'ID':
        return undefined;
      case 'DateTime':
        return literal('2020-01-01T00:00:00Z');
      default:
        return literal('x');
    }
  }
  return undefined;
}

function isIdArgument(arg: GraphQLArgument): boolean {
  return getNamedType(arg.type).name === 'ID';
}

function isFirstArgument(arg: GraphQLArgument): boolean {
  return arg.name === 'first' && getNamedType(arg.type).name === 'Int';
}

/**
 * Argument lists for one field. Each ID argument fans out over its candidates (one variant per candidate; a
 * list of IDs takes all of them at once); `first` is always the page size; every other required argument
 * takes a sample value. With `optional`, optional enum and input-object arguments are filled too.
 */
function argumentVariants(
  schema: GraphQLSchema,
  field: GraphQLField<unknown, unknown>,
  ids: IdSupply,
  pageSize: number,
  optional: boolean,
): string[][] {
  let variants: string[][] = [[]];
  const resultTypes = concreteTypes(schema, getNamedType(field.type)).map((t) => t.name);
  for (const arg of field.args) {
    const required = isNonNullType(arg.type);
    if (isIdArgument(arg)) {
      if (!required) continue;
      const candidates = resultTypes.flatMap((name) => ids(name));
      if (candidates.length === 0) return [];
      // A list takes every candidate at once, and (should one candidate spoil the list) the first, preferred,
      // candidate of each type.
      const preferred = resultTypes.flatMap((name) => ids(name).slice(0, 1));
      const lists = [candidates, preferred].filter((list, i) => i === 0 || list.length < candidates.length);
      const values = isListType(getNullableType(arg.type))
        ? lists.map((list) => `[${list.map(literal).join(', ')}]`)
        : [...new Set(candidates)].map(literal);
      variants = variants.flatMap((v) => values.map((value) => [...v, `${arg.name}: ${value}`]));
      continue;
    }
    const named = getNamedType(arg.type);
    const wanted =
      required || isFirstArgument(arg) || (optional && (isEnumType(named) || isInputObjectType(named)));
    if (!wanted) continue;
    const value = sampleValue(arg.type, arg.name, pageSize);
    if (value === undefined) {
      if (required) return [];
      continue;
    }
    variants = variants.map((v) => [...v, `${arg.name}: ${value}`]);
  }
  return variants;
}

function hasOptionalExtras(field: GraphQLField<unknown, unknown>): boolean {
  return field.args.some((arg) => {
    const named = getNamedType(arg.type);
    return !isNonNullType(arg.type) && (isEnumType(named) || isInputObjectType(named));
  });
}

class Walker {
  /** `Type.field` coordinates the recursion rule has emitted so far. */
  readonly emitted = new Set<string>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly ids: IdSupply,
    readonly pageSize: number,
  ) {}

  /** The selection set of `type` below `path` (the composite types from the root down to here). */
  selection(type: Composite, path: readonly string[], aliased: ReadonlySet<string> = new Set()): string {
    const here = [...path, type.name];
    const parts = ['__typename'];
    for (const field of fieldsOf(type)) {
      const sub = this.fieldSelection(type, field, here, aliased.has(field.name));
      if (sub !== undefined) parts.push(sub);
    }
    if (isAbstractType(type)) {
      const objects = this.schema.getPossibleTypes(type);
      for (const object of objects) {
        if (here.includes(object.name)) continue;
        // Same-named fields of sibling types with other types would not merge: those get an alias.
        const clashes = new Set(
          fieldsOf(object)
            .filter((f) =>
              objects.some((other) => {
                const twin = other.getFields()[f.name];
                return twin !== undefined && String(twin.type) !== String(f.type);
              }),
            )
            .map((f) => f.name),
        );
        parts.push(`... on ${object.name} ${this.selection(object, here, clashes)}`);
      }
    }
    return `{ ${parts.join(' ')} }`;
  }

  fieldSelection(
    parent: Composite,
    field: GraphQLField<unknown, unknown>,
    path: readonly string[],
    alias = false,
  ): string | undefined {
    const named = getNamedType(field.type);
    if (isComposite(named) && path.includes(named.name)) return undefined;
    const [args] = argumentVariants(this.schema, field, this.ids, this.pageSize, false);
    if (args === undefined) return undefined;
    this.emitted.add(`${parent.name}.${field.name}`);
    const name = alias ? `${parent.name}_${field.name}: ${field.name}` : field.name;
    const head = args.length > 0 ? `${name}(${args.join(', ')})` : name;
    return isComposite(named) ? `${head} ${this.selection(named, path)}` : head;
  }
}

/** Shortest chains of fields from the root to every reachable composite type. */
function shortestPaths(
  schema: GraphQLSchema,
  usable: (field: GraphQLField<unknown, unknown>) => boolean,
): Map<string, Array<{ parent: Composite; field: string }>> {
  const root = schema.getQueryType();
  const paths = new Map<string, Array<{ parent: Composite; field: string }>>();
  if (!root) return paths;
  paths.set(root.name, []);
  const queue: Composite[] = [root];
  for (let type = queue.shift(); type; type = queue.shift()) {
    const base = paths.get(type.name) ?? [];
    const steps: Array<[Composite, Array<{ parent: Composite; field: string }>]> = [];
    for (const field of fieldsOf(type)) {
      const named = getNamedType(field.type);
      if (isComposite(named) && usable(field))
        steps.push([named, [...base, { parent: type, field: field.name }]]);
    }
    if (isAbstractType(type)) for (const object of schema.getPossibleTypes(type)) steps.push([object, base]);
    for (const [next, path] of steps) {
      if (paths.has(next.name)) continue;
      paths.set(next.name, path);
      queue.push(next);
    }
  }
  return paths;
}

/**
 * The operations of one walk: one per root field and argument variant (plus, for a root field with optional
 * enum or input-object arguments, a variant that fills them), and one per field the recursion rule left out.
 */
export function walkOperations(
  schema: GraphQLSchema,
  ids: IdSupply,
  options: WalkOptions = {},
): WalkOperation[] {
  const root = schema.getQueryType();
  if (!root) return [];
  const pageSize = options.pageSize ?? 5;
  const walker = new Walker(schema, ids, pageSize);
  const operations: WalkOperation[] = [];
  const add = (rootField: string, body: string) => {
    const name = `Walk${operations.length}`;
    operations.push({ name, rootField, document: print(parse(`query ${name} { ${body} }`)) });
  };

  for (const field of Object.values(root.getFields())) {
    const named = getNamedType(field.type);
    const variants = argumentVariants(schema, field, ids, pageSize, false);
    if (hasOptionalExtras(field)) variants.push(...argumentVariants(schema, field, ids, pageSize, true));
    for (const args of variants) {
      walker.emitted.add(`${root.name}.${field.name}`);
      const head = args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
      const body = isComposite(named) ? `${head} ${walker.selection(named, [root.name])}` : head;
      add(field.name, `__typename ${body}`);
    }
  }

  // Fields the recursion rule never reached: reach their parent along a shortest path and expand afresh.
  const paths = shortestPaths(
    schema,
    (field) => argumentVariants(schema, field, ids, pageSize, false).length > 0,
  );
  for (const coordinate of reachableCoordinates(schema)) {
    if (walker.emitted.has(coordinate)) continue;
    const [typeName = '', fieldName = ''] = coordinate.split('.');
    const parent = schema.getType(typeName);
    const path = paths.get(typeName);
    if (!parent || !isComposite(parent) || !path) continue;
    const field = fieldsOf(parent).find((f) => f.name === fieldName);
    if (!field) continue;
    const inner = walker.fieldSelection(parent, field, []);
    if (inner === undefined) continue;
    let body = `__typename ${inner}`;
    let below: Composite = parent;
    for (const step of [...path].reverse()) {
      const stepField = fieldsOf(step.parent).find((f) => f.name === step.field);
      if (!stepField) break;
      const [args = []] = argumentVariants(schema, stepField, ids, pageSize, false);
      const head = args.length > 0 ? `${step.field}(${args.join(', ')})` : step.field;
      const target = getNamedType(stepField.type);
      const fragment = target.name === below.name ? body : `__typename ... on ${below.name} { ${body} }`;
      body = `__typename ${head} { ${fragment} }`;
      below = step.parent;
    }
    add(coordinate, body);
  }
  return operations;
}

/** Every `Type.field` of every object or interface type reachable from the root, computed from the schema. */
export function reachableCoordinates(schema: GraphQLSchema): Set<string> {
  const root = schema.getQueryType();
  const coordinates = new Set<string>();
  if (!root) return coordinates;
  const seen = new Set<string>([root.name]);
  const queue: GraphQLNamedType[] = [root];
  for (let type = queue.shift(); type; type = queue.shift()) {
    const next: GraphQLNamedType[] = [];
    for (const field of fieldsOf(type)) {
      coordinates.add(`${type.name}.${field.name}`);
      next.push(getNamedType(field.type));
    }
    if (isAbstractType(type)) next.push(...schema.getPossibleTypes(type));
    for (const candidate of next) {
      if (seen.has(candidate.name)) continue;
      seen.add(candidate.name);
      queue.push(candidate);
    }
  }
  return coordinates;
}

/** The `Type.field` coordinates the documents select (introspection fields aside), read back with TypeInfo. */
export function selectedCoordinates(schema: GraphQLSchema, documents: readonly string[]): Set<string> {
  const coordinates = new Set<string>();
  for (const document of documents) {
    const typeInfo = new TypeInfo(schema);
    visit(
      parse(document),
      visitWithTypeInfo(typeInfo, {
        [Kind.FIELD](node) {
          const parent = typeInfo.getParentType();
          if (parent && !node.name.value.startsWith('__'))
            coordinates.add(`${parent.name}.${node.name.value}`);
        },
      }),
    );
  }
  return coordinates;
}

/** Deepest field nesting and number of fields of a document, to compare with the gateway's limits. */
export function measure(document: string): { depth: number; fields: number } {
  let depth = 0;
  let deepest = 0;
  let fields = 0;
  visit(parse(document), {
    [Kind.FIELD]: {
      enter() {
        fields += 1;
        depth += 1;
        deepest = Math.max(deepest, depth);
      },
      leave() {
        depth -= 1;
      },
    },
  });
  return { depth: deepest, fields };
}

/**
 * Global and native ids of every node in a response, by `__typename`: `id` is the global ID, and the other
 * non-null ID fields of the type (its upstream id, e.g.) are the native ones.
 */
export function collectIds(
  schema: GraphQLSchema,
  value: unknown,
  into: Map<string, { global: Set<string>; native: Set<string> }> = new Map(),
): Map<string, { global: Set<string>; native: Set<string> }> {
  if (Array.isArray(value)) {
    for (const item of value) collectIds(schema, item, into);
    return into;
  }
  if (typeof value !== 'object' || value === null) return into;
  const record = value as Record<string, unknown>;
  const typename = record.__typename;
  const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
  if (type && isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node')) {
    let entry = into.get(type.name);
    if (!entry) {
      entry = { global: new Set(), native: new Set() };
      into.set(type.name, entry);
    }
    for (const field of Object.values(type.getFields())) {
      const raw = record[field.name];
      if (typeof raw !== 'string' || !isNonNullType(field.type) || getNamedType(field.type).name !== 'ID')
        continue;
      (field.name === 'id' ? entry.global : entry.native).add(raw);
    }
  }
  for (const child of Object.values(record)) collectIds(schema, child, into);
  return into;
}
