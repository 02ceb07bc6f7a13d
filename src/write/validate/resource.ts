/**
 * Gateway-side checks of a write, derived from the resource's description (src/resources): presence, type,
 * bounds, formats and enums of every writable field, nested objects and lists included, then the resource's own
 * cross-field rules. Run before any upstream request; what needs stored data (uniqueness, references) is the
 * upstream's to say.
 */
import {
  type AnyField,
  type AnyResource,
  fieldEntries,
  isWritable,
  type ObjectField,
  type TextFormat,
} from '../../resources/describe.js';
import type { InputIssue } from '../types.js';
import {
  checkBoolean,
  checkEnum,
  checkFormat,
  checkInteger,
  checkObject,
  checkString,
  IssueList,
  join,
  type WriteMode,
} from './checks.js';
import { isDateTime, isDuration, isEmailAddress, isIpAddress } from './formats.js';

/** Each format's test and how "must be …" names it. */
const FORMATS: Readonly<Record<TextFormat, readonly [(text: string) => boolean, string]>> = {
  ip: [isIpAddress, 'an IPv4 or IPv6 address'],
  email: [isEmailAddress, 'an e-mail address'],
  dateTime: [isDateTime, 'an ISO 8601 date-time with a time zone offset'],
  duration: [isDuration, 'a duration in the form hh:mm:ss'],
};

function checkField(list: IssueList, path: string, f: AnyField, value: unknown, mode: WriteMode): void {
  const presence = { required: f.required && mode !== 'update', nullable: f.clearable };
  switch (f.kind) {
    case 'text':
      if (f.format === undefined) checkString(list, path, value, { ...presence, min: f.min, max: f.max });
      else checkFormat(list, path, value, FORMATS[f.format][0], FORMATS[f.format][1], presence);
      return;
    case 'int':
      checkInteger(list, path, value, { ...presence, min: f.min, max: f.max });
      return;
    case 'id':
      // IDs are positive integers (docs/upstreams.md §1.1); whether one exists is the upstream's to say.
      checkInteger(list, path, value, { ...presence, min: 1 });
      return;
    case 'boolean':
      checkBoolean(list, path, value, presence);
      return;
    case 'enum':
      checkEnum(list, path, value, f.spec.values, presence);
      return;
    case 'ref':
      return;
    case 'object': {
      const nested = checkObject(list, path, value, presence);
      if (nested !== undefined) checkFields(list, f.resource, path, nested, mode);
      return;
    }
    case 'list':
      checkList(list, path, f, value, presence.required);
      return;
  }
}

/** A list is always written whole (by a patch too), so every item is checked as on create. */
function checkList(list: IssueList, path: string, f: ObjectField, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) list.add(path, 'is required');
    return;
  }
  if (!Array.isArray(value)) {
    list.add(path, value === null ? 'must not be null' : 'must be a list');
    return;
  }
  value.forEach((item: unknown, index) => {
    const nested = checkObject(list, join(path, index), item, { required: true });
    if (nested !== undefined) checkFields(list, f.resource, join(path, index), nested, 'create');
  });
}

function checkFields(
  list: IssueList,
  r: AnyResource,
  at: string,
  w: Readonly<Record<string, unknown>>,
  mode: WriteMode,
): void {
  for (const [key, f] of fieldEntries(r)) if (isWritable(f)) checkField(list, join(at, key), f, w[key], mode);
  r.rules?.(list, at, w, mode);
}

/** Where a path stands in field order: each segment's position among its resource's described fields. */
function rank(r: AnyResource, segments: readonly string[]): number[] {
  const out: number[] = [];
  let current: AnyResource | undefined = r;
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) {
      out.push(Number(segment));
      continue;
    }
    const entries: Array<[string, AnyField]> = current ? fieldEntries(current) : [];
    const index = entries.findIndex(([key]) => key === segment);
    out.push(index === -1 ? entries.length : index);
    const f = entries[index]?.[1];
    current = f?.kind === 'object' || f?.kind === 'list' ? f.resource : undefined;
  }
  return out;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * The issues of one write input, all at once and in the order of the resource's fields (a cross-field rule's
 * issue stands with the field it names); the input itself missing or malformed is one issue.
 */
export function validateResource(
  r: AnyResource,
  input: unknown,
  mode: WriteMode,
  at = 'input',
): InputIssue[] {
  const list = new IssueList();
  const w = checkObject(list, at, input, { required: true });
  if (w !== undefined) checkFields(list, r, at, w, mode);
  const prefix = at === '' ? 0 : at.split('.').length;
  const ranked = list.issues.map((issue) => ({ issue, rank: rank(r, issue.path.split('.').slice(prefix)) }));
  // Array.prototype.sort is stable: issues of the same path keep the order they were found in.
  return ranked.sort((a, b) => compareRanks(a.rank, b.rank)).map(({ issue }) => issue);
}
