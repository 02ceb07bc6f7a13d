/**
 * The vocabulary of resource descriptions. Each upstream resource (src/resources/<name>.ts) is described once
 * as a record of fields; every layer derives what it needs from that record:
 *
 * - the decoder that reads an upstream body (src/upstream/decode.ts, `decodeResource`),
 * - the output fields and the input types of the schema (src/schema/derive.ts),
 * - the gateway-side validation of a write (src/write/validate/resource.ts, `validateResource`),
 * - the request body of a write, the translation of a 400's field paths back to input paths and the list of
 *   secrets a write carries (src/upstream/body.ts).
 *
 * The TypeScript types of decoded objects (`ReadOf`) and of write inputs (`WriteOf`) are computed from the same
 * record, so a field added to a description is read, exposed, accepted, checked and sent with no other edit.
 */

import type { Rules } from '../write/validate/checks.js';

/** Text formats the upstreams name (docs/upstreams.md §1.1, §1.5, §1.7, §1.8, §2.3). */
export type TextFormat = 'ip' | 'email' | 'dateTime' | 'duration';

/** Scalars of the schema (src/schema/scalars.ts) a field may be exposed as. */
export type OutputScalar =
  | 'String'
  | 'Int'
  | 'Boolean'
  | 'ID'
  | 'DateTime'
  | 'IP'
  | 'Port'
  | 'NonNegativeInt'
  | 'PositiveInt'
  | 'ClockDuration';

/** An enum the upstream fixes: upstream value → what it means. GraphQL values are the upper-snake forms. */
export interface EnumSpec<V extends string = string> {
  readonly name: string;
  readonly description: string;
  readonly values: Readonly<Record<V, string>>;
}

export function enumSpec<const V extends string>(
  name: string,
  description: string,
  values: Record<V, string>,
): EnumSpec<V> {
  return { name, description, values };
}

export function enumValues<V extends string>(spec: EnumSpec<V>): V[] {
  return Object.keys(spec.values) as V[];
}

/** An `{id, name}` reference the PAM API embeds for a related object. */
export interface PamRef {
  id: number;
  name: string;
}

/** Who sees a field: `read` only in answers, `write` only in requests, `both` in either. */
export type Access = 'read' | 'write' | 'both';

export type FieldKind = 'text' | 'int' | 'boolean' | 'enum' | 'id' | 'ref' | 'object' | 'list';

/** What every field says, whatever its kind. */
interface FieldCore {
  readonly kind: FieldKind;
  /** The upstream's name of the field (snake_case, as in the JSON bodies). */
  readonly upstream: string;
  /** What the field means; the output field's description, and the input's unless `inputDescription` is set. */
  readonly description: string;
  /** The input field's description when it must say more than the output's (e.g. when it is required). */
  readonly inputDescription?: string | undefined;
  readonly access: Access;
  /** Write-only and never logged, echoed or put in a message: redacted from upstream error messages. */
  readonly secret: boolean;
  /** Given on create and replace only; the patch input type has no such field. */
  readonly immutable: boolean;
  /** Required in a whole write (create, replace); required as the upstream sends it when read. */
  readonly required: boolean;
  /** Read: the value may be absent (null). */
  readonly nullable: boolean;
  /** Write: `null` is accepted and clears the stored value. */
  readonly clearable: boolean;
  /** The value read when the upstream leaves the field out or sends null. */
  readonly fallback?: unknown;
  /** Exposed under another name than its key (e.g. the PAM `id` as `pamId`). */
  readonly outputName?: string | undefined;
  /** False when the schema declares the output field itself (relations resolved through loaders). */
  readonly output: boolean;
  /** The scalar the output field has; defaults to the kind's plain scalar. */
  readonly scalar?: OutputScalar | undefined;
  /** Reads the value from the whole upstream object when a plain copy is not enough. */
  readonly read?: ((item: Readonly<Record<string, unknown>>) => unknown) | undefined;
  /**
   * Lists of the resource can be filtered by the field (src/lists): text by a `StringFilter` (`equals`,
   * `contains`, case-insensitive) unless `exact` (case-sensitive equality) or `exactCi` (case-insensitive
   * equality); an enum by "any of" a list of values; a boolean by equality. A nested object's filterable fields
   * filter its parent's lists, under their own names.
   */
  readonly filter?: FilterMode | undefined;
  /** Lists of the resource can be ordered by the field (text case-insensitively, numbers as numbers). */
  readonly sort?: boolean | undefined;
}

/**
 * How a text field filters (see `FieldCore.filter`): `anyOf` takes a list of values and matches any of them,
 * ignoring case (vendor words such as a connection status). Other kinds take `true`.
 */
export type FilterMode = true | 'exact' | 'exactCi' | 'anyOf';

export interface TextField extends FieldCore {
  readonly kind: 'text';
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly format?: TextFormat | undefined;
  /** Read: a value that is not of `format` reads as null instead of failing (lenient upstreams). */
  readonly lenient?: boolean | undefined;
}

export interface IntField extends FieldCore {
  readonly kind: 'int';
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

export interface BooleanField extends FieldCore {
  readonly kind: 'boolean';
}

export interface EnumField extends FieldCore {
  readonly kind: 'enum';
  readonly spec: EnumSpec;
}

/** A PAM id of another resource: written as a number, given in GraphQL as a global ID or a PAM id. */
export interface IdField extends FieldCore {
  readonly kind: 'id';
  /** The GraphQL type whose global IDs the input accepts. */
  readonly of: string;
}

/** An embedded `{id, name}` reference; read-only. */
export interface RefField extends FieldCore {
  readonly kind: 'ref';
}

export interface ObjectField extends FieldCore {
  readonly kind: 'object' | 'list';
  readonly resource: AnyResource;
  /** Lists: the item field they are read in order of (ascending). */
  readonly orderBy?: string | undefined;
}

export type AnyField = TextField | IntField | BooleanField | EnumField | IdField | RefField | ObjectField;

/** A field with the types its value has when read and when written (phantom: never set at run time). */
export type Field<F extends AnyField, R, W, A extends Access> = F & {
  readonly access: A;
  readonly __read?: R;
  readonly __write?: W;
};

export type Fields = Readonly<Record<string, AnyField>>;

export interface Resource<F extends Fields = Fields> {
  /** The GraphQL type name, e.g. `Account`. */
  readonly name: string;
  /** Lower-case noun for messages, e.g. `account`. */
  readonly noun: string;
  readonly description: string;
  /** The input type names; default `<name>Input` and `<name>Patch`. */
  readonly inputName?: string | undefined;
  readonly inputDescription?: string | undefined;
  readonly patchDescription?: string | undefined;
  readonly fields: F;
  /** Cross-field rules, run after the per-field checks derived from `fields`. */
  readonly rules?: Rules | undefined;
}

export type AnyResource = Resource<Fields>;

export function resource<const F extends Fields>(spec: Resource<F>): Resource<F> {
  return spec;
}

// ---- Types computed from a description ----

type ReadKeys<F> = { [K in keyof F]: F[K] extends { access: 'write' } ? never : K }[keyof F];
type WriteKeys<F> = { [K in keyof F]: F[K] extends { access: 'read' } ? never : K }[keyof F];

/** A decoded upstream object of the resource. */
export type ReadOf<R extends AnyResource> =
  R extends Resource<infer F>
    ? { -readonly [K in ReadKeys<F>]: F[K] extends { __read?: infer V } ? V : never }
    : never;

/** A write input of the resource: every field optional (a patch gives only what changes). */
export type WriteOf<R extends AnyResource> =
  R extends Resource<infer F>
    ? { -readonly [K in WriteKeys<F>]?: F[K] extends { __write?: infer V } ? V : never }
    : never;

// ---- Field constructors ----

interface Flags {
  description: string;
  inputDescription?: string;
  readOnly?: boolean;
  writeOnly?: boolean;
  secret?: boolean;
  immutable?: boolean;
  required?: boolean;
  nullable?: boolean;
  clearable?: boolean;
  outputName?: string;
  output?: boolean;
  filter?: FilterMode;
  sort?: boolean;
  scalar?: OutputScalar;
  read?: (item: Readonly<Record<string, unknown>>) => unknown;
}

type AccessOf<O> = O extends { readOnly: true }
  ? 'read'
  : O extends { writeOnly: true }
    ? 'write'
    : O extends { secret: true }
      ? 'write'
      : 'both';
type ReadValue<O, V> = O extends { nullable: true } ? V | null : V;
type WriteValue<O, V> = O extends { clearable: true } ? V | null : V;

function core<O extends Flags & { fallback?: unknown }>(
  kind: FieldKind,
  upstream: string,
  o: O,
): FieldCore & { readonly access: AccessOf<O> } {
  // The run-time twin of `AccessOf<O>`, which the compiler cannot evaluate for a generic O.
  const access = (o.readOnly ? 'read' : o.writeOnly || o.secret ? 'write' : 'both') as AccessOf<O>;
  return {
    kind,
    upstream,
    description: o.description,
    inputDescription: o.inputDescription,
    access,
    secret: o.secret ?? false,
    immutable: o.immutable ?? false,
    required: o.required ?? false,
    nullable: o.nullable ?? false,
    clearable: o.clearable ?? false,
    fallback: o.fallback,
    outputName: o.outputName,
    output: o.output ?? true,
    scalar: o.scalar,
    read: o.read,
    filter: o.filter,
    sort: o.sort,
  };
}

export function text<const O extends Flags & TextOptions>(
  upstream: string,
  o: O,
): Field<TextField, ReadValue<O, string>, WriteValue<O, string>, AccessOf<O>> {
  const { min, max, format, lenient } = o;
  return { ...core('text', upstream, o), kind: 'text', min, max, format, lenient };
}
interface TextOptions {
  min?: number;
  max?: number;
  format?: TextFormat;
  lenient?: boolean;
  fallback?: string;
}

export function int<const O extends Flags & { min?: number; max?: number; fallback?: number }>(
  upstream: string,
  o: O,
): Field<IntField, ReadValue<O, number>, WriteValue<O, number>, AccessOf<O>> {
  return { ...core('int', upstream, o), kind: 'int', min: o.min, max: o.max };
}

export function boolean<const O extends Flags & { fallback?: boolean }>(
  upstream: string,
  o: O,
): Field<BooleanField, ReadValue<O, boolean>, WriteValue<O, boolean>, AccessOf<O>> {
  return { ...core('boolean', upstream, o), kind: 'boolean' };
}

export function choice<V extends string, const O extends Flags & { fallback?: NoInfer<V> }>(
  upstream: string,
  spec: EnumSpec<V>,
  o: O,
): Field<EnumField, ReadValue<O, V>, WriteValue<O, V>, AccessOf<O>> {
  return { ...core('enum', upstream, o), kind: 'enum', spec };
}

export function idOf<const O extends Flags>(
  upstream: string,
  of: string,
  o: O,
): Field<IdField, ReadValue<O, number>, WriteValue<O, number>, AccessOf<O>> {
  return { ...core('id', upstream, { ...o, output: false }), kind: 'id', of };
}

export function ref<const O extends Omit<Flags, 'readOnly' | 'writeOnly' | 'secret'>>(
  upstream: string,
  o: O,
): Field<RefField, O extends { required: true } ? PamRef : PamRef | null, never, 'read'> {
  const nullable = o.required !== true;
  return {
    ...core('ref', upstream, { ...o, nullable, readOnly: true, output: false }),
    kind: 'ref',
    access: 'read',
  };
}

export function object<R extends AnyResource, const O extends Flags>(
  upstream: string,
  nested: R,
  o: O,
): Field<ObjectField, ReadValue<O, ReadOf<R>>, WriteValue<O, WriteOf<R>>, AccessOf<O>> {
  return { ...core('object', upstream, o), kind: 'object', resource: nested };
}

export function list<R extends AnyResource, const O extends Flags & { orderBy?: string }>(
  upstream: string,
  nested: R,
  o: O,
): Field<ObjectField, ReadOf<R>[], WriteOf<R>[], AccessOf<O>> {
  return {
    ...core('list', upstream, { ...o, fallback: [] }),
    kind: 'list',
    resource: nested,
    orderBy: o.orderBy,
  };
}

// ---- Walking a description ----

export function fieldEntries(r: AnyResource): Array<[string, AnyField]> {
  return Object.entries(r.fields as Fields);
}

export const isReadable = (f: AnyField): boolean => f.access !== 'write';
export const isWritable = (f: AnyField): boolean => f.access !== 'read';

/** Writable fields in description order, the immutable ones last (as the whole-input types list them). */
export function inputEntries(r: AnyResource, whole: boolean): Array<[string, AnyField]> {
  const writable = fieldEntries(r).filter(([, f]) => isWritable(f) && (whole || !f.immutable));
  return [...writable.filter(([, f]) => !f.immutable), ...writable.filter(([, f]) => f.immutable)];
}
