import { expect } from 'vitest';
import type { InputIssue } from '../../src/write/types.js';

/** One expected issue: its exact path and a pattern its whole message must match. */
export type Expected = readonly (readonly [path: string, message: RegExp])[];

/** The exact list of issues, in order: no more, no fewer. */
export function expectIssues(actual: InputIssue[], expected: Expected): void {
  expect(actual).toEqual(
    expected.map(([path, message]) => ({ path, message: expect.stringMatching(message) })),
  );
}

/** Test inputs deliberately break the DTO types (a `null` where none is allowed, a wrong enum value). */
export function loose<T>(value: Record<string, unknown>): T {
  return value as unknown as T;
}

export const MODES = ['create', 'replace', 'update'] as const;

export const REQUIRED = /^is required$/;
export const NOT_NULL = /^must not be null$/;
export const NOT_EMPTY = /^must not be empty$/;
export const INTEGER = /^must be an integer$/;
export const BOOLEAN = /^must be a boolean$/;
export const IP = /^must be an IPv4 or IPv6 address$/;
export const DATE_TIME = /^must be an ISO 8601 date-time with a time zone offset$/;
export const atMost = (n: number) => new RegExp(`^must be at most ${n} characters$`);
export const between = (min: number, max: number) => new RegExp(`^must be between ${min} and ${max}$`);
export const atLeast = (min: number) => new RegExp(`^must be at least ${min}$`);
export const oneOf = (values: string) => new RegExp(`^must be one of: ${values}$`);
