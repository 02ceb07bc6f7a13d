/** Timestamps in the contract's shape: ISO 8601, microseconds, explicit `+00:00` offset. */

export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses an ISO 8601 timestamp that carries an offset and returns it normalised to UTC, or null. The
 * sub-millisecond digits are kept from the input because Date only holds milliseconds.
 */
export function normalizeTimestamp(value: string): string | null {
  const match = TIMESTAMP.exec(value);
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(6, '0');
  const ms = Date.parse(`${match[1]}.${fraction.slice(0, 3)}${match[3]}`);
  if (Number.isNaN(ms)) return null;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${fraction}+00:00`;
}

const TIME = /^\d{2}:[0-5]\d:[0-5]\d$/;

export const isTime = (value: string): boolean => TIME.test(value);
