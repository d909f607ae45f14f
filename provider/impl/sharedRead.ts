/**
 * One read shared by every caller that asks while it is cached: the first caller starts it, the others await the same
 * promise. A failed read is forgotten, so the next caller tries again instead of inheriting the failure.
 */
export function sharedRead<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let pending = cache.get(key);
  if (!pending) {
    pending = read();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}
