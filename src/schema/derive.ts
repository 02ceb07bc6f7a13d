/**
 * The schema's side of the resource descriptions (src/resources): enums, the output fields of each described
 * field, and the input types of writes. Domain files add only what a description cannot say — relations
 * resolved through loaders, and the root and mutation fields.
 */
import type { GenericFieldRef, InputObjectRef, ObjectRef } from '@pothos/core';
import type { GatewayContext } from '../context.js';
import {
  type AnyField,
  type AnyResource,
  type EnumSpec,
  enumValues,
  fieldEntries,
  inputEntries,
  isReadable,
} from '../resources/describe.js';
import { type BuilderTypes, builder } from './builder.js';

type EnumRef = ReturnType<typeof enumOf>;
const enums = new Map<EnumSpec, EnumRef>();

function enumOf(spec: EnumSpec) {
  return builder.enumType(spec.name, {
    description: spec.description,
    // GraphQL enum values are the upstream values in UPPER_SNAKE case; the mapping is one to one.
    values: Object.fromEntries(
      enumValues(spec).map((value) => [
        value.toUpperCase().replace(/-/g, '_'),
        { value, description: spec.values[value] },
      ]),
    ),
  });
}

/** The GraphQL enum of an upstream enum, created once. */
export function enumRef(spec: EnumSpec): EnumRef {
  let ref = enums.get(spec);
  if (!ref) {
    ref = enumOf(spec);
    enums.set(spec, ref);
  }
  return ref;
}

/** Shapes the schema's output fields read: decoded upstream objects, or the `{id, name}` stubs of refs. */
export type Shape = Readonly<Record<string, unknown>>;

const objects = new Map<AnyResource, ObjectRef<BuilderTypes, Shape>>();

/** The object type of a described resource; nested resources (credentials, changers) are found through it. */
export function describedRef<S extends Shape>(r: AnyResource): ObjectRef<BuilderTypes, S> {
  const ref = builder.objectRef<S>(r.name);
  objects.set(r, ref);
  return ref;
}

function nestedRef(r: AnyResource): ObjectRef<BuilderTypes, Shape> {
  const ref = objects.get(r);
  if (!ref) throw new Error(`No object type declared for ${r.name}; declare it with describedRef.`);
  return ref;
}

/** Reads one field of a source: a plain property, or one of the full object behind a stub. */
export type FieldReader<S> = (source: S, ctx: GatewayContext, key: string) => unknown;

/** The reader for sources that are always full objects. */
export const direct = <S extends Shape>(source: S, _ctx: GatewayContext, key: string): unknown => source[key];

type FieldBuilder<S extends Shape> = PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, S>;
type Maybe<T> = T | null | Promise<T | null>;
type Sure<T> = T | Promise<T>;

function outputField<S extends Shape>(
  t: FieldBuilder<S>,
  key: string,
  f: AnyField,
  read: FieldReader<S>,
): GenericFieldRef<unknown> {
  const description = f.description;
  // The decoder gave the value the type its field kind says (src/upstream/decode.ts); the casts only restate it.
  const value = (s: S, _args: object, ctx: GatewayContext) => read(s, ctx, key);
  const nullable = f.nullable;
  if (f.kind === 'enum') {
    const type = enumRef(f.spec);
    return nullable
      ? t.field({ type, nullable, description, resolve: (s, a, c) => value(s, a, c) as Maybe<string> })
      : t.field({ type, description, resolve: (s, a, c) => value(s, a, c) as Sure<string> });
  }
  if (f.kind === 'object' || f.kind === 'list') {
    const ref = nestedRef(f.resource);
    if (f.kind === 'list')
      return t.field({ type: [ref], description, resolve: (s, a, c) => value(s, a, c) as Sure<Shape[]> });
    return nullable
      ? t.field({ type: ref, nullable, description, resolve: (s, a, c) => value(s, a, c) as Maybe<Shape> })
      : t.field({ type: ref, description, resolve: (s, a, c) => value(s, a, c) as Sure<Shape> });
  }
  const type = f.scalar ?? (f.kind === 'text' ? 'String' : f.kind === 'boolean' ? 'Boolean' : 'Int');
  switch (type) {
    case 'Boolean':
      return nullable
        ? t.field({ type, nullable, description, resolve: (s, a, c) => value(s, a, c) as Maybe<boolean> })
        : t.field({ type, description, resolve: (s, a, c) => value(s, a, c) as Sure<boolean> });
    case 'Int':
    case 'Port':
    case 'NonNegativeInt':
    case 'PositiveInt':
      return nullable
        ? t.field({ type, nullable, description, resolve: (s, a, c) => value(s, a, c) as Maybe<number> })
        : t.field({ type, description, resolve: (s, a, c) => value(s, a, c) as Sure<number> });
    case 'ID':
      return t.field({ type, description, resolve: (s, a, c) => value(s, a, c) as Sure<string | number> });
    default:
      return nullable
        ? t.field({ type, nullable, description, resolve: (s, a, c) => value(s, a, c) as Maybe<string> })
        : t.field({ type, description, resolve: (s, a, c) => value(s, a, c) as Sure<string> });
  }
}

const isNested = (f: AnyField) => f.kind === 'object' || f.kind === 'list';

/**
 * The output fields of every readable, exposed field of `r`: its own values in description order, then its
 * nested objects and lists (an output type reads as the object's values first, then what it contains).
 */
export function describedFields<S extends Shape>(
  t: FieldBuilder<S>,
  r: AnyResource,
  read: FieldReader<S>,
): Record<string, GenericFieldRef<unknown>> {
  const exposed = fieldEntries(r).filter(([, f]) => isReadable(f) && f.output);
  const ordered = [...exposed.filter(([, f]) => !isNested(f)), ...exposed.filter(([, f]) => isNested(f))];
  const fields: Record<string, GenericFieldRef<unknown>> = {};
  for (const [key, f] of ordered) fields[f.outputName ?? key] = outputField(t, key, f, read);
  return fields;
}

/** A field's bounds as a sentence of its input description. */
function boundsSentence(f: AnyField): string {
  if (f.kind !== 'text' && f.kind !== 'int') return '';
  const { min, max } = f;
  const unit = f.kind === 'text' ? ' characters' : '';
  if (min !== undefined && max !== undefined) return ` ${min} to ${max}${unit}.`;
  if (max !== undefined) return ` At most ${max}${unit}.`;
  if (min !== undefined) return ` At least ${min}${unit}.`;
  return '';
}

export function inputDescription(f: AnyField): string {
  return `${f.inputDescription ?? f.description}${boundsSentence(f)}`;
}

type InputRef = InputObjectRef<BuilderTypes, Record<string, unknown>>;
const inputs = new Map<string, InputRef>();

type InputBuilder = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

function inputField(t: InputBuilder, f: AnyField, whole: boolean) {
  const description = inputDescription(f);
  const required = whole && f.required;
  switch (f.kind) {
    case 'text':
      return t.string({ required, description });
    case 'int':
      return t.int({ required, description });
    case 'boolean':
      return t.boolean({ required, description });
    case 'id':
      return t.id({ required, description });
    case 'enum':
      return t.field({ type: enumRef(f.spec), required, description });
    case 'object':
      return t.field({ type: inputRef(f.resource), required, description });
    case 'list':
      return t.field({ type: [inputRef(f.resource)], required, description });
    case 'ref':
      throw new Error('a reference is read-only');
  }
}

const wholeDescription = (r: AnyResource) =>
  `A whole ${r.noun}, for \`create${r.name}\` and \`replace${r.name}\`.`;

function patchDescription(r: AnyResource): string {
  const fixed = fieldEntries(r)
    .filter(([, f]) => f.immutable)
    .map(([key]) => `\`${key}\``);
  const rest = fixed.length === 0 ? '.' : `; ${fixed.join(', ')} cannot change.`;
  return `The fields of ${/^[aeiou]/.test(r.noun) ? 'an' : 'a'} ${r.noun} to change, for \`update${r.name}\`${rest}`;
}

/**
 * The input type of a resource's writes: `<Name>Input` (the whole object: create, replace; and any nested
 * object, which is always written whole) or `<Name>Patch` (the fields to change; immutable ones absent).
 */
export function inputRef(r: AnyResource, whole = true): InputRef {
  const name = whole ? (r.inputName ?? `${r.name}Input`) : `${r.name}Patch`;
  const existing = inputs.get(name);
  if (existing) return existing;
  const ref: InputRef = builder.inputType(name, {
    description: whole
      ? (r.inputDescription ?? wholeDescription(r))
      : (r.patchDescription ?? patchDescription(r)),
    fields: (t) =>
      Object.fromEntries(inputEntries(r, whole).map(([key, f]) => [key, inputField(t, f, whole)])),
  });
  inputs.set(name, ref);
  return ref;
}
