/**
 * Write bodies from resource descriptions (src/resources): the input's camelCase fields become the upstream's
 * snake_case body, a 400's upstream field paths become input paths again, and the secrets a write carries are
 * listed for redaction. All three read the same description, so a renamed field cannot break one direction only.
 */
import { type AnyField, type AnyResource, fieldEntries, isWritable } from '../resources/describe.js';
import type { JsonObject } from './decode.js';

/** The upstream body of a write: writable fields renamed, `undefined` left out, `null` kept (it clears). */
export function buildBody(r: AnyResource, input: Readonly<Record<string, unknown>>): JsonObject {
  const body: JsonObject = {};
  for (const [key, f] of fieldEntries(r)) {
    const value = input[key];
    if (value === undefined || !isWritable(f)) continue;
    body[f.upstream] = nestedBody(f, value);
  }
  return body;
}

function nestedBody(f: AnyField, value: unknown): unknown {
  if ((f.kind !== 'object' && f.kind !== 'list') || value === null || typeof value !== 'object') return value;
  const nested = f.resource;
  if (Array.isArray(value))
    return value.map((item: Readonly<Record<string, unknown>>) => buildBody(nested, item));
  return buildBody(nested, value as Readonly<Record<string, unknown>>);
}

/** DRF's key for errors that concern the object (or nested object) as a whole rather than one field. */
const NON_FIELD = 'non_field_errors';

export function snakeToCamel(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function writableByUpstreamName(r: AnyResource, upstream: string): [string, AnyField] | undefined {
  return fieldEntries(r).find(([, f]) => isWritable(f) && f.upstream === upstream);
}

/** Translates a dotted upstream path (`accountpasswordchanger_set.0.timeout`) into an input path. */
export function translatePath(upstreamPath: string, r: AnyResource | undefined, root: string): string {
  const out: string[] = root === '' ? [] : [root];
  let current = r;
  for (const segment of upstreamPath.split('.')) {
    // `non_field_errors` names no field: the issue is about the object that contains it.
    if (segment === NON_FIELD) continue;
    // List indexes keep the item resource of the list they index.
    if (/^\d+$/.test(segment)) {
      out.push(segment);
      continue;
    }
    const entry = current && writableByUpstreamName(current, segment);
    out.push(entry?.[0] ?? snakeToCamel(segment));
    const f = entry?.[1];
    current = f?.kind === 'object' || f?.kind === 'list' ? f.resource : undefined;
  }
  return out.join('.');
}

/** Every non-empty secret value the input carries, nested objects and lists included. */
export function secretsOf(r: AnyResource, input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  if (Array.isArray(input)) return input.flatMap((item) => secretsOf(r, item));
  const values = input as Readonly<Record<string, unknown>>;
  return fieldEntries(r).flatMap(([key, f]) => {
    const value = values[key];
    if (f.kind === 'object' || f.kind === 'list') return secretsOf(f.resource, value);
    return f.secret && typeof value === 'string' && value !== '' ? [value] : [];
  });
}
