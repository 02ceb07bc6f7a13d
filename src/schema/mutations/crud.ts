/**
 * The four writes of a plain PAM collection — `create…` (POST), `update…` (PATCH), `replace…` (PUT) and
 * `delete…` (DELETE) — built the same way for servers, safes, listeners and users: map the input, check it
 * (no upstream request when it breaks a rule), write once, renew the request's loaders, return the result.
 */
import type { InputObjectRef, ObjectRef } from '@pothos/core';
import type { GatewayContext } from '../../context.js';
import type { ScopedUpstream } from '../../upstream/scope.js';
import type { InputIssue, WriteOutcome } from '../../write/types.js';
import type { WriteMode } from '../../write/validate/index.js';
import { type BuilderTypes, builder } from '../builder.js';
import { encodeGlobalId } from '../global-id.js';
import { MUTATION_ERRORS } from './errors.js';
import { pamIdAt, rejectIssues, settle } from './outcome.js';
import { given } from './to-write.js';

export interface CrudSpec<W extends object, V extends { id: number }, R> {
  typename: 'Server' | 'Safe' | 'Listener' | 'User';
  /** Lower-case noun for messages and the payload's data field, e.g. `server`. */
  noun: string;
  /** Upstream collection path, for the descriptions. */
  path: string;
  ref: ObjectRef<BuilderTypes, R>;
  input: InputObjectRef<BuilderTypes, object>;
  patch: InputObjectRef<BuilderTypes, object>;
  toWrite?: (input: object) => W;
  validate: (w: W, mode: WriteMode) => InputIssue[];
  create: (pam: ScopedUpstream, w: W) => Promise<WriteOutcome<V>>;
  replace: (pam: ScopedUpstream, id: number, w: W) => Promise<WriteOutcome<V>>;
  update: (pam: ScopedUpstream, id: number, w: W) => Promise<WriteOutcome<V>>;
  remove: (pam: ScopedUpstream, id: number) => Promise<WriteOutcome<null>>;
  prime: (ctx: GatewayContext, value: V) => void;
}

export function errorsOption(name: string, dataField: string) {
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  return {
    types: MUTATION_ERRORS,
    union: {
      name: `${pascal}Result`,
      description: `What \`${name}\` returns: its payload, or why nothing was written.`,
    },
    result: { name: `${pascal}Payload`, description: `The outcome of a successful \`${name}\`.` },
    dataField: { name: dataField, description: 'The object as the upstream holds it after the write.' },
  };
}

/** Runs a write: check, send once, renew the loaders, prime them with what the upstream answered. */
export async function write<W extends object, V>(
  ctx: GatewayContext,
  w: W,
  check: (w: W) => InputIssue[],
  send: () => Promise<WriteOutcome<V>>,
  noun: string,
  prime: (value: V) => void,
): Promise<V> {
  rejectIssues(check(w));
  const value = settle(await send(), noun);
  ctx.renewLoaders();
  prime(value);
  return value;
}

export function crudMutations<W extends object, V extends { id: number }, R>(spec: CrudSpec<W, V, R>): void {
  const { typename, noun, path } = spec;
  const toWrite = spec.toWrite ?? ((input: object) => given<W>(input));
  const idArg = (t: { arg: { id: (o: object) => unknown } }) =>
    t.arg.id({ required: true, description: `The ${noun} (global ID or PAM id).` } as object);
  builder.mutationFields((t) => ({
    [`create${typename}`]: t.field({
      type: spec.ref,
      description: `Creates a ${noun}: \`POST ${path}\`. Checked by the gateway first; nothing is sent when it fails.`,
      errors: errorsOption(`create${typename}`, noun),
      args: { input: t.arg({ type: spec.input, required: true, description: `The whole ${noun}.` }) },
      resolve: (_root, args, ctx) => {
        const w = toWrite(args.input);
        return write(
          ctx,
          w,
          (x) => spec.validate(x, 'create'),
          () => spec.create(ctx.pam, w),
          noun,
          (v) => spec.prime(ctx, v),
        ) as never;
      },
    }),
    [`update${typename}`]: t.field({
      type: spec.ref,
      description: `Changes only the given fields of a ${noun}: \`PATCH ${path}/:id\`.`,
      errors: errorsOption(`update${typename}`, noun),
      args: {
        id: idArg(t) as never,
        input: t.arg({ type: spec.patch, required: true, description: 'The fields to change.' }),
      },
      resolve: (_root, args, ctx) => {
        const id = pamIdAt(String(args.id), typename, 'id');
        const w = toWrite(args.input);
        return write(
          ctx,
          w,
          (x) => spec.validate(x, 'update'),
          () => spec.update(ctx.pam, id, w),
          noun,
          (v) => spec.prime(ctx, v),
        ) as never;
      },
    }),
    [`replace${typename}`]: t.field({
      type: spec.ref,
      description: `Replaces a whole ${noun}: \`PUT ${path}/:id\`; omitted optional fields reset to their defaults.`,
      errors: errorsOption(`replace${typename}`, noun),
      args: {
        id: idArg(t) as never,
        input: t.arg({ type: spec.input, required: true, description: `The whole ${noun}.` }),
      },
      resolve: (_root, args, ctx) => {
        const id = pamIdAt(String(args.id), typename, 'id');
        const w = toWrite(args.input);
        return write(
          ctx,
          w,
          (x) => spec.validate(x, 'replace'),
          () => spec.replace(ctx.pam, id, w),
          noun,
          (v) => spec.prime(ctx, v),
        ) as never;
      },
    }),
    [`delete${typename}`]: t.field({
      type: 'ID',
      description: `Deletes a ${noun}: \`DELETE ${path}/:id\`. Returns its global ID.`,
      errors: errorsOption(`delete${typename}`, 'deletedId'),
      args: { id: idArg(t) as never },
      resolve: async (_root, args, ctx) => {
        const id = pamIdAt(String(args.id), typename, 'id');
        settle(await spec.remove(ctx.pam, id), noun);
        ctx.renewLoaders();
        return encodeGlobalId(typename, id);
      },
    }),
  }));
}
