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

  integer(obj: JsonObject, key: string): number {
    const value = obj[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(`a malformed field "${key}"`);
    return value;
  }

  /** A `{id, name}` reference the PAM API embeds for a related object. */
  ref(value: unknown, what: string): { id: number; name: string } | null {
    if (value === undefined || value === null) return null;
    const obj = this.object(value, what);
    return { id: this.integer(obj, 'id'), name: this.string(obj, 'name') };
  }
}

/** Reads one field: the whole upstream object (for custom readers) and the raw value of the field in it. */
type FieldReader = (d: Decoder, item: JsonObject, raw: unknown) => unknown;

/** The value of a field that is absent or null: its fallback, null when it may be null, else a failure. */
function absent(d: Decoder, f: AnyField): unknown {
  if (f.fallback !== undefined) return f.fallback;
  if (f.nullable) return null;
  return d.fail(`a malformed field "${f.upstream}"`);
}

/** The reader of one present, non-null value of the field's kind. */
function valueReader(f: AnyField): FieldReader {
  const key = f.upstream;
  const malformed = (d: Decoder) => d.fail(`a malformed field "${key}"`);
  switch (f.kind) {
    case 'text': {
      const lenientDate = f.lenient === true && f.format === 'dateTime';
      return (d, _item, raw) => {
        if (typeof raw !== 'string') return malformed(d);
        // `""` is how both upstreams say "not set".
        if (raw === '' && f.nullable) return null;
        if (lenientDate && Number.isNaN(Date.parse(raw))) return null;
        return raw;
      };
    }
    case 'int':
    case 'id':
      return (d, _item, raw) => (typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : malformed(d));
    case 'boolean':
      return (d, _item, raw) => (typeof raw === 'boolean' ? raw : malformed(d));
    case 'enum': {
      const allowed = new Set(Object.keys(f.spec.values));
      return (d, _item, raw) =>
        typeof raw === 'string' && allowed.has(raw) ? raw : d.fail(`an unknown value of "${key}"`);
    }
    case 'ref':
      return (d, _item, raw) => d.ref(raw, key);
    case 'object': {
      const nested = f.resource;
      return (d, _item, raw) => decodeResource(d, nested, raw);
    }
    case 'list': {
      const nested = f.resource;
      const order = f.orderBy;
      return (d, _item, raw) => {
        const items = d.array(raw, nested.noun).map((value) => decodeResource(d, nested, value));
        return order === undefined ? items : items.sort((a, b) => Number(a[order]) - Number(b[order]));
      };
    }
  }
}

function fieldReader(f: AnyField): FieldReader {
  const read = valueReader(f);
  const custom = f.read;
  return (d, item, raw) => {
    if (custom) {
      const value = custom(item);
      if (value !== undefined) return value;
    }
    return raw === undefined || raw === null ? absent(d, f) : read(d, item, raw);
  };
}

type CompiledDecoder = (d: Decoder, item: JsonObject) => Record<string, unknown>;

/**
 * Builds a resource's decoder once, as straight-line code: one object literal with the resource's keys, each value
 * read from a named upstream property. Decoding runs per upstream object (15,000 per audit log scan), and a loop
 * over the fields with computed keys was five times slower. The generated text contains nothing but property
 * names from the descriptions in src/resources (quoted with JSON.stringify) and indexes into `readers`: no
 * upstream or client value ever reaches it.
 */
function compile(r: AnyResource): CompiledDecoder {
  const fields = fieldEntries(r).filter(([, f]) => isReadable(f));
  const readers = fields.map(([, f]) => fieldReader(f));
  const properties = fields.map(
    ([key, f], i) => `${JSON.stringify(key)}: readers[${i}](d, item, item[${JSON.stringify(f.upstream)}])`,
  );
  const build = new Function('readers', `return (d, item) => ({ ${properties.join(', ')} });`) as (
    readers: FieldReader[],
  ) => CompiledDecoder;
  return build(readers);
}

const decoders = new WeakMap<AnyResource, CompiledDecoder>();

/**
 * Reads an upstream object by its resource description: only described, readable fields are copied (an
 * allowlist at the boundary, so a write-only secret an upstream sends anyway is never kept), each checked
 * against its kind.
 */
export function decodeResource<R extends AnyResource>(d: Decoder, r: R, value: unknown): ReadOf<R> {
  let decode = decoders.get(r);
  if (!decode) {
    decode = compile(r);
    decoders.set(r, decode);
  }
  // The decoder gives every readable field a value of its kind: the shape ReadOf<R> computes.
  return decode(d, d.object(value, r.noun)) as ReadOf<R>;
}
