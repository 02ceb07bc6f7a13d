/** Helpers over the seeded Random that the demo generators share. */
import type { Random } from '../random.js';
import { formatTimestamp } from './time.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-_';
/** Demo timestamps fall in 2025 so they look lived-in yet never depend on the clock. */
const EPOCH = Date.UTC(2025, 0, 1);
const YEAR_SECONDS = 365 * 24 * 3600;

export function weighted<T>(rng: Random, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let roll = rng.next() * total;
  for (const [item, w] of items) {
    roll -= w;
    if (roll < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new Error('weighted() on an empty list');
  return last[0];
}

export function randomString(rng: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[rng.int(0, ALPHABET.length - 1)];
  return out;
}

export function demoTimestamp(rng: Random): string {
  return formatTimestamp(new Date(EPOCH + rng.int(0, YEAR_SECONDS) * 1000));
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');
