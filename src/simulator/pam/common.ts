/** Field rules shared by several collections. */
import type { FieldReader } from './reader.js';
import type { PamState } from './store.js';
import { formatTimestamp } from './time.js';
import type { Row } from './types.js';

/** `blocked` (default false) and `reason`, which is required when `blocked` is true. */
export function readBlocked(reader: FieldReader): { blocked: boolean; reason: string | null } {
  const blocked = reader.boolean('blocked') ?? false;
  const reason = reader.string('reason', { nullable: true }) ?? null;
  if (blocked && !reason && !reader.errors.has(reader.path('reason'))) {
    reader.fail('reason', 'This field is required when blocked is true.');
  }
  return { blocked, reason };
}

/** `created_at` survives updates; `modified_at` moves on every write. */
export function stamps(state: PamState, existing: { createdAt: string } | undefined) {
  const now = formatTimestamp(state.now());
  return { createdAt: existing?.createdAt ?? now, modifiedAt: now };
}

/** The read-only `{id, name}` form used for references. */
export const ref = (row: Row | undefined): { id: number; name: string } | null =>
  row ? { id: row.id, name: row.name } : null;

/** Drops undefined and null values, so a stored object can be re-read as a request body. */
export function compact(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input))
    if (value !== undefined && value !== null) out[key] = value;
  return out;
}
