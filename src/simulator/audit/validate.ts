/**
 * Request validation for the Audit API (docs/upstreams.md §2): the JSON body of POST/PUT and the query of the
 * list call. Pure functions returning either the checked value or the per-field messages of a 400, so the
 * router decides the status and the store never sees unchecked input.
 */
import {
  type AuditField,
  isAuditField,
  OPTIONAL_STRING_FIELDS,
  OPTIONAL_STRING_MAX,
  ORGANIZATION_MAX,
} from './fields.js';

export type FieldErrors = Record<string, string[]>;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string; fields?: FieldErrors };

/** What a POST or PUT may set; every other field is read-only or unknown and is ignored. */
export type WritableValues = Partial<Record<AuditField, string>> & { organization: string };

export interface ListQuery {
  itemsPerPage: number;
  page: number;
  sort: AuditField;
  descending: boolean;
}

export const MAX_ITEMS_PER_PAGE = 500;

/** Parses a request body that must be one JSON object. */
export function parseJsonObject(raw: string): Checked<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'Malformed JSON body.' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: 'The request body must be a JSON object.' };
  }
  return { ok: true, value: parsed as Record<string, unknown> };
}

/** Length as the vendor's Python backend counts it: code points, not UTF-16 units. */
function charLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** One optional string field: absent is fine, `null` and non-strings are not. */
function checkString(value: unknown, max: number | null): string | null {
  if (value === null) return 'This field may not be null.';
  if (typeof value !== 'string') return 'Not a valid string.';
  // Code points never outnumber UTF-16 units, so the cheap check settles the common case.
  if (max !== null && value.length > max && charLength(value) > max) {
    return `Ensure this field has no more than ${max} characters.`;
  }
  return null;
}

function checkOrganization(value: unknown, keyOrganization: string): string | null {
  if (value === undefined) return 'This field is required.';
  const problem = checkString(value, ORGANIZATION_MAX);
  if (problem !== null) return problem;
  if (value !== keyOrganization) return 'Must be the organization of the API key.';
  return null;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Reads an ISO 8601 date-time and returns it in the `YYYY-MM-DDTHH:mm:ss.sssZ` form, or null. Without an
 * offset the time is taken as UTC (choice: the product stores UTC). Digits past milliseconds are dropped.
 */
export function normaliseDateTime(text: string): string | null {
  const m = DATE_TIME.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as number[];
  const second = Number(m[6] ?? '0');
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  if (year === undefined || month === undefined || day === undefined) return null;
  if (hour === undefined || minute === undefined || hour > 23 || minute > 59 || second > 59) return null;
  // setUTCFullYear rather than Date.UTC, which would map the years 0..99 to 1900..1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  if (local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) return null; // e.g. 2025-02-30
  const offset = offsetMinutes(m[8]);
  if (offset === null) return null;
  const utc = new Date(local.getTime() - offset * 60_000);
  const utcYear = utc.getUTCFullYear();
  // An offset can push 0000-01-01 or 9999-12-31 out of the four-digit years toISOString writes plainly.
  return utcYear < 0 || utcYear > 9999 ? null : utc.toISOString();
}

function offsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function checkLastUpdate(value: unknown): { problem: string } | { time: string } {
  if (value === null) return { problem: 'This field may not be null.' };
  if (typeof value !== 'string') return { problem: 'Not a valid string.' };
  const time = normaliseDateTime(value);
  return time === null ? { problem: 'Datetime has wrong format. Use ISO 8601.' } : { time };
}

/**
 * Checks a POST/PUT body: `organization` required and equal to the key's organisation, optional strings
 * within their limits, `last_update_time` an ISO 8601 date-time. All problems are reported together.
 */
export function checkWriteBody(
  body: Record<string, unknown>,
  keyOrganization: string,
): Checked<WritableValues> {
  const fields: FieldErrors = {};
  const orgProblem = checkOrganization(body.organization, keyOrganization);
  if (orgProblem !== null) fields.organization = [orgProblem];
  const value: WritableValues = { organization: keyOrganization };
  for (const field of OPTIONAL_STRING_FIELDS) {
    if (!Object.hasOwn(body, field)) continue;
    const raw = body[field];
    const problem = checkString(raw, OPTIONAL_STRING_MAX[field]);
    if (problem !== null) fields[field] = [problem];
    else if (typeof raw === 'string') value[field] = raw;
  }
  if (Object.hasOwn(body, 'last_update_time')) {
    const checked = checkLastUpdate(body.last_update_time);
    if ('problem' in checked) fields.last_update_time = [checked.problem];
    else value.last_update_time = checked.time;
  }
  if (Object.keys(fields).length > 0) return { ok: false, error: 'Invalid input.', fields };
  return { ok: true, value };
}

/** The last value of a repeated parameter wins, as in Django's QueryDict (and the request record). */
function lastParam(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name);
  return all[all.length - 1];
}

function checkInteger(raw: string | undefined, min: number, max: number): number | string {
  if (raw === undefined) return 'This parameter is required.';
  if (!/^[0-9]+$/.test(raw)) return 'A valid integer is required.';
  const n = Number(raw);
  if (n < min) return `Ensure this value is greater than or equal to ${min}.`;
  if (n > max) return `Ensure this value is less than or equal to ${max}.`;
  return n;
}

/** `reverse` accepts exactly `true` or `false` (choice); anything else, even empty, is a 400. */
function checkReverse(raw: string | undefined): boolean | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return 'Must be "true" or "false".';
}

/** Checks the list query: required `items_per_page` and `page`, optional `sort` and `reverse`. */
export function checkListQuery(query: URLSearchParams): Checked<ListQuery> {
  const fields: FieldErrors = {};
  const itemsPerPage = checkInteger(lastParam(query, 'items_per_page'), 1, MAX_ITEMS_PER_PAGE);
  if (typeof itemsPerPage === 'string') fields.items_per_page = [itemsPerPage];
  const page = checkInteger(lastParam(query, 'page'), 1, Number.POSITIVE_INFINITY);
  if (typeof page === 'string') fields.page = [page];
  const sort = lastParam(query, 'sort') ?? 'creationtime';
  if (!isAuditField(sort)) fields.sort = [`Unknown sort field "${sort}".`];
  const descending = checkReverse(lastParam(query, 'reverse'));
  if (typeof descending === 'string') fields.reverse = [descending];
  const invalid =
    typeof itemsPerPage === 'string' || typeof page === 'string' || typeof descending === 'string';
  if (invalid || !isAuditField(sort)) return { ok: false, error: 'Invalid query parameters.', fields };
  return { ok: true, value: { itemsPerPage, page, sort, descending } };
}
