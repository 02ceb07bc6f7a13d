/**
 * Field checks shared by every kind of write. Values are taken as `unknown`: the write types say what a
 * well-behaved mapper passes, but the rules must hold whatever reaches them (a `null` on a field that cannot
 * be cleared, a fractional number). Messages are fixed sentences: they never quote the value, because the
 * same inputs carry secrets.
 */
import type { InputIssue } from '../types.js';
import { codePointLength } from './formats.js';

/** POST, PUT (the whole object) and PATCH (only the fields given). */
export type WriteMode = 'create' | 'replace' | 'update';

/** Cross-field rules of one resource (src/resources), run after the checks its field descriptions imply. */
export type Rules = (
  list: IssueList,
  at: string,
  w: Readonly<Record<string, unknown>>,
  mode: WriteMode,
) => void;

/** The issues of one input, in the order they were found, at most one per path. */
export class IssueList {
  readonly #issues: InputIssue[] = [];

  add(path: string, message: string): void {
    this.#issues.push({ path, message });
  }

  /** Adds the issue unless the path already has one: a field that is malformed is not also "missing". */
  addOnce(path: string, message: string): void {
    if (!this.has(path)) this.add(path, message);
  }

  has(path: string): boolean {
    return this.#issues.some((issue) => issue.path === path);
  }

  get issues(): InputIssue[] {
    return [...this.#issues];
  }
}

export interface Presence {
  /** Missing (`undefined`) is an issue: required fields on create and replace. */
  required?: boolean;
  /** `null` is allowed (it clears the field); otherwise a given `null` is an issue. */
  nullable?: boolean;
}

export interface Bounds extends Presence {
  min?: number;
  max?: number;
}

/** Whether the field was given a non-null value worth checking further; reports missing or null. */
function given(list: IssueList, path: string, value: unknown, presence: Presence): boolean {
  if (value === undefined) {
    if (presence.required === true) list.add(path, 'is required');
    return false;
  }
  if (value === null) {
    if (presence.nullable !== true) list.add(path, 'must not be null');
    return false;
  }
  return true;
}

function rangeMessage(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `must be between ${min} and ${max}`;
  return min !== undefined ? `must be at least ${min}` : `must be at most ${max}`;
}

export function checkString(list: IssueList, path: string, value: unknown, bounds: Bounds = {}): void {
  if (!given(list, path, value, bounds)) return;
  if (typeof value !== 'string') {
    list.add(path, 'must be a string');
    return;
  }
  const length = codePointLength(value);
  if (bounds.min !== undefined && length < bounds.min) {
    list.add(path, bounds.min === 1 ? 'must not be empty' : `must be at least ${bounds.min} characters`);
  } else if (bounds.max !== undefined && length > bounds.max) {
    list.add(path, `must be at most ${bounds.max} characters`);
  }
}

export function checkInteger(list: IssueList, path: string, value: unknown, bounds: Bounds = {}): void {
  if (!given(list, path, value, bounds)) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    list.add(path, 'must be an integer');
    return;
  }
  const { min, max } = bounds;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    list.add(path, rangeMessage(min, max));
  }
}

export function checkBoolean(list: IssueList, path: string, value: unknown, presence: Presence = {}): void {
  if (!given(list, path, value, presence)) return;
  if (typeof value !== 'boolean') list.add(path, 'must be a boolean');
}

/** `allowed` is keyed by the enum's upstream values. */
export function checkEnum(
  list: IssueList,
  path: string,
  value: unknown,
  allowed: Readonly<Record<string, unknown>>,
  presence: Presence = {},
): void {
  if (!given(list, path, value, presence)) return;
  if (typeof value !== 'string' || !Object.hasOwn(allowed, value)) {
    list.add(path, `must be one of: ${Object.keys(allowed).join(', ')}`);
  }
}

/** A string in a given format; `description` completes "must be …". */
export function checkFormat(
  list: IssueList,
  path: string,
  value: unknown,
  test: (text: string) => boolean,
  description: string,
  presence: Presence = {},
): void {
  if (!given(list, path, value, presence)) return;
  if (typeof value !== 'string') {
    list.add(path, 'must be a string');
    return;
  }
  if (!test(value)) list.add(path, `must be ${description}`);
}

/** A nested object; reports anything else. Returns it for checking its own fields. */
export function checkObject(
  list: IssueList,
  path: string,
  value: unknown,
  presence: Presence = {},
): Record<string, unknown> | undefined {
  if (!given(list, path, value, presence)) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    list.add(path, 'must be an object');
    return undefined;
  }
  return value as Record<string, unknown>;
}

/** Absent, null or the empty string: what a "required when …" rule counts as not given. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The value when it is one of `allowed`, else undefined: cross-field rules act only on values known good. */
export function known<T extends string>(
  value: unknown,
  allowed: Readonly<Record<T, unknown>>,
): T | undefined {
  return typeof value === 'string' && Object.hasOwn(allowed, value) ? (value as T) : undefined;
}

export function join(at: string, ...parts: (string | number)[]): string {
  return [at, ...parts].join('.');
}

/**
 * `blocked: true` needs a reason. A patch may rely on the stored reason, so there it is an issue only when
 * the same patch clears the reason.
 */
export const blockedNeedsReason: Rules = (list, at, w, mode) => {
  if (w.blocked !== true) return;
  const missing = mode === 'update' ? w.reason === null || w.reason === '' : isBlank(w.reason);
  if (missing) list.addOnce(join(at, 'reason'), 'is required when blocked is true');
};
