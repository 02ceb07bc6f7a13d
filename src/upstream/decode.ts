/**
 * Reading upstream JSON: `decodeResource` reads an object by its resource description (src/resources), with
 * the small runtime readers of `Decoder`, so only described fields are ever copied (an allowlist at the
 * boundary), and a body of the wrong shape is an `UPSTREAM_BAD_RESPONSE` instead of a crash deep inside a resolver.
 */
import { GatewayError, type UpstreamName } from '../errors.js';
import {
  type AnyField,
  type AnyResource,
  fieldEntries,
  isReadable,
  type ReadOf,
} from '../resources/describe.js';

export type JsonObject = Record<string, unknown>;

export class Decoder {
  constructor(readonly upstream: UpstreamName) {}

  fail(what: string): never {
    const label = this.upstream === 'pam' ? 'PAM' : 'Audit';
    // `what` names a field, never a value: values may be secrets.
    throw new GatewayError('UPSTREAM_BAD_RESPONSE', `The ${label} upstream answered with ${what}.`, {
      upstream: this.upstream,
    });
  }

  object(value: unknown, what: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`a malformed ${what}`);
    return value as JsonObject;
  }

  array(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`a malformed ${what} list`);
    return value;
  }

  string(obj: JsonObject, key: string): string {
    const value = obj[key];
    if (typeof value !== 'string') this.fail(`a malformed field "${key}"`);
    return value;
  }

  optionalString(obj: JsonObject, key: string): string | null {
    const value = obj[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') this.fail(`a malformed field "${key}"`);
    return value;
  }

  integer(obj: JsonObject, key: string): number {
    const value = obj[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(`a malformed field "${key}"`);
    return value;
  }

  optionalInteger(obj: JsonObject, key: string): number | null {
    const value = obj[key];
    if (value === undefined || value === null) return null;
    return this.integer(obj, key);
  }

  boolean(obj: JsonObject, key: string, fallback?: boolean): boolean {
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(`a malformed field "${key}"`);
    return value;
  }

  oneOf<T extends string>(obj: JsonObject, key: string, allowed: readonly T[]): T {
    const value = this.string(obj, key);
    if (!(allowed as readonly string[]).includes(value)) this.fail(`an unknown value of "${key}"`);
    return value as T;
  }

  /** A `{id, name}` reference the PAM API embeds for a related object. */
  ref(value: unknown, what: string): { id: number; name: string } | null {
    if (value === undefined || value === null) return null;
    const obj = this.object(value, what);
    return { id: this.integer(obj, 'id'), name: this.string(obj, 'name') };
  }
}

/** The value of a field that is absent or null: its fallback, null when it may be null, else a failure. */
function absent(d: Decoder, f: AnyField): unknown {
  if (f.fallback !== undefined) return f.fallback;
  if (f.nullable) return null;
  return d.fail(`a malformed field "${f.upstream}"`);
}

function readField(d: Decoder, item: JsonObject, f: AnyField): unknown {
  const custom = f.read?.(item);
  if (custom !== undefined) return custom;
  const raw = item[f.upstream];
  if (raw === undefined || raw === null) return absent(d, f);
  switch (f.kind) {
    case 'text': {
      if (typeof raw !== 'string') return d.fail(`a malformed field "${f.upstream}"`);
      // `""` is how both upstreams say "not set".
      if (raw === '' && f.nullable) return null;
      if (f.lenient && f.format === 'dateTime' && Number.isNaN(Date.parse(raw))) return null;
      return raw;
    }
    case 'int':
    case 'id':
      return d.integer(item, f.upstream);
    case 'boolean':
      return d.boolean(item, f.upstream);
    case 'enum':
      return d.oneOf(item, f.upstream, Object.keys(f.spec.values));
    case 'ref':
      return d.ref(raw, f.upstream);
    case 'object':
      return decodeResource(d, f.resource, raw);
    case 'list': {
      const items = d.array(raw, f.resource.noun).map((value) => decodeResource(d, f.resource, value));
      const key = f.orderBy;
      return key === undefined ? items : items.sort((a, b) => Number(a[key]) - Number(b[key]));
    }
  }
}

/**
 * Reads an upstream object by its resource description: only described, readable fields are copied (an
 * allowlist at the boundary, so a write-only secret an upstream sends anyway is never kept), each checked
 * against its kind.
 */
export function decodeResource<R extends AnyResource>(d: Decoder, r: R, value: unknown): ReadOf<R> {
  const item = d.object(value, r.noun);
  const out: Record<string, unknown> = {};
  for (const [key, f] of fieldEntries(r)) if (isReadable(f)) out[key] = readField(d, item, f);
  // The loop above gave every readable field a value of its kind: the shape ReadOf<R> computes.
  return out as ReadOf<R>;
}
