/**
 * Reference stubs. The PAM API embeds `{id, name}` of related objects (an account's server, a safe
 * assignment's account and listener, granted users, a credential's policy). A field of such a type is
 * backed by a stub until a field other than `id`, `pamId` or `name` is selected; only then is the object
 * loaded, through the request's DataLoader. So "accounts with their server's name" costs no server load.
 */
import type DataLoader from 'dataloader';
import { GatewayError } from '../errors.js';
import type { PamRef } from '../upstream/pam/index.js';

const STUB = Symbol('pamgraph.stub');

export type RefStub = {
  readonly [STUB]: true;
  readonly id: number;
  readonly name: string;
};

/** A stub when the reference carries a name; otherwise there is nothing to spare and the id is loaded. */
export function stubOf(ref: PamRef): RefStub {
  return { [STUB]: true, id: ref.id, name: ref.name };
}

export function isStub(value: object): value is RefStub {
  return STUB in value;
}

/** The full object behind a stub (or the object itself). */
export async function full<T extends object>(
  source: T | RefStub,
  loader: DataLoader<number, T | null>,
  what: string,
): Promise<T> {
  if (!isStub(source)) return source;
  const value = await loader.load(source.id);
  if (!value)
    throw new GatewayError('NOT_FOUND', `The ${what} ${source.id} no longer exists or is not visible.`);
  return value;
}

/** Loads for a field that needs the full object, or returns the stub's own id/name pair. */
export function refOrLoad<T extends { id: number; name: string }>(
  ref: PamRef | null,
  id: number,
  loader: DataLoader<number, T | null>,
): T | RefStub | Promise<T | null> {
  if (ref?.name) return stubOf(ref);
  return loader.load(id);
}

/**
 * The field reader of a type backed by stubs (see derive.ts): `id` and `name` from the stub itself, any other
 * field from the full object, loaded through the type's DataLoader.
 */
export function stubReader<T extends Readonly<Record<string, unknown>>, Ctx>(
  loaderOf: (ctx: Ctx) => DataLoader<number, T | null>,
  what: string,
) {
  return (source: T | RefStub, ctx: Ctx, key: string): unknown =>
    isStub(source) && key !== 'id' && key !== 'name'
      ? full(source, loaderOf(ctx), what).then((value) => value[key])
      : (source as Readonly<Record<string, unknown>>)[key];
}
