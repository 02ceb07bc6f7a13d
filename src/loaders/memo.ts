/**
 * The one promise per key that keeps a request from sending the same upstream GET twice: the first caller
 * starts it, every later caller (concurrent or not) shares it.
 */
export function shared<K, V>(promises: Map<K, Promise<V>>, key: K, start: () => Promise<V>): Promise<V> {
  let pending = promises.get(key);
  if (!pending) {
    pending = start();
    promises.set(key, pending);
  }
  return pending;
}
