/**
 * DataLoader batch functions must answer one value per key, in key order. These two
 * helpers are the only places that reorder rows into that shape.
 */

export function byKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const index = new Map<K, V>();
  for (const row of rows) index.set(keyOf(row), row);
  return keys.map((key) => index.get(key) ?? null);
}

export function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const index = new Map<K, V[]>();
  for (const key of keys) index.set(key, []);
  for (const row of rows) index.get(keyOf(row))?.push(row);
  return keys.map((key) => index.get(key) ?? []);
}
