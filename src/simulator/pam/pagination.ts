/** docs/upstreams.md §1.1 pagination: optional `page` (1-based) and `page_size` (1..1000); bare arrays. */
import { ValidationErrors } from './errors.js';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export type PageWindow = { start: number; end: number } | null;

function readParam(query: URLSearchParams, name: string, max: number, errors: ValidationErrors) {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw)) {
    errors.add(name, 'A valid integer is required.');
    return undefined;
  }
  const value = Number(raw);
  if (value < 1) errors.add(name, 'Ensure this value is greater than or equal to 1.');
  else if (value > max) errors.add(name, `Ensure this value is less than or equal to ${max}.`);
  // A page number of any size is valid (docs/upstreams.md §1.1): one past the data is simply empty. Digits too
  // long for a double read as Infinity, which slices to nothing as well.
  return value;
}

/**
 * The slice of the collection the query asks for: `null` for the whole collection, or a ValidationErrors
 * naming the bad parameter.
 */
export function pageWindow(query: URLSearchParams): PageWindow | ValidationErrors {
  const errors = new ValidationErrors();
  const page = readParam(query, 'page', Number.POSITIVE_INFINITY, errors);
  const size = readParam(query, 'page_size', MAX_PAGE_SIZE, errors);
  if (!errors.empty) return errors;
  if (page === undefined && size === undefined) return null;
  const pageSize = size ?? DEFAULT_PAGE_SIZE;
  const start = ((page ?? 1) - 1) * pageSize;
  return { start, end: start + pageSize };
}

export function applyWindow<T>(items: readonly T[], window: PageWindow): T[] {
  return window ? items.slice(window.start, window.end) : [...items];
}
