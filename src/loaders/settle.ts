import { isGatewayError } from '../errors.js';

/**
 * DataLoader batch results aligned to keys, with a per-key `Error` for a failed key: one bad id never
 * fails the whole batch.
 */
export async function settleEach<K, V>(
  keys: readonly K[],
  load: (key: K) => Promise<V>,
): Promise<Array<V | Error>> {
  const results = await Promise.allSettled(keys.map(load));
  return results.map((r) => (r.status === 'fulfilled' ? r.value : toError(r.reason)));
}

export function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

/** For a relation whose parent may have disappeared (or be invisible): upstream 404 means "nothing". */
export function nullIfNotFound(error: unknown): null {
  if (isGatewayError(error) && error.code === 'NOT_FOUND') return null;
  throw error;
}
