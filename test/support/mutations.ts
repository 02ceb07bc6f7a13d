/**
 * Helpers of the mutation acceptance tests: typed access to a mutation's result, the error selection every
 * result union shares, global IDs computed independently of the gateway, and the writes a simulator saw.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import { expect } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/simulator/credentials.js';
import type { RunningSim } from '../../src/simulator/index.js';
import type { GraphQLResponse, Stack } from './stack.js';

/** Selected on every `…Result` union: the typename, the message and, for a ValidationError, its issues. */
export const ERRORS =
  '__typename ... on MutationError { message } ... on ValidationError { issues { path message } }';

export interface Issue {
  path: string;
  message: string;
}

/** What every result carries whatever its member; payload fields are added by each test's type. */
export interface ResultBase {
  __typename: string;
  message?: string;
  issues?: Issue[];
}

export const OPERATOR = { 'x-pam-token': DEMO_CREDENTIALS.pam.operatorToken } as const;
export const SUPERADMIN_TOKEN = DEMO_CREDENTIALS.pam.superadminToken;

/** The global ID format (`pg1:<Type>:<id>` in base64url), written out here rather than imported. */
export function globalId(typename: string, id: number | string): string {
  return Buffer.from(`pg1:${typename}:${String(id)}`, 'utf8').toString('base64url');
}

/** Runs an operation that must not fail as a whole and returns its data. */
export async function run<T, V = Record<string, unknown>>(
  stack: Stack,
  document: string | TypedDocumentNode<T, V>,
  variables?: V,
  headers?: Record<string, string>,
): Promise<T> {
  const response: GraphQLResponse<T> = await stack.query<T, V>(document, variables, headers);
  expect(response.errors, response.text).toBeUndefined();
  expect(response.status).toBe(200);
  if (response.data === null || response.data === undefined) throw new Error(`no data: ${response.text}`);
  return response.data;
}

/** Runs a single-field mutation aliased `r` and returns that field's result, typed by the document. */
export async function mutate<T extends ResultBase, V = Record<string, unknown>>(
  stack: Stack,
  document: string | TypedDocumentNode<{ r: T }, V>,
  variables?: V,
  headers?: Record<string, string>,
): Promise<T> {
  const data = await run<{ r: T }, V>(stack, document, variables, headers);
  return data.r;
}

/** Asserts which member of its result union a result is, and returns it typed as that member. */
export function member<T extends ResultBase, N extends T['__typename']>(
  result: T,
  typename: N,
): Extract<T, { __typename: N }> {
  expect(result.__typename).toBe(typename);
  return result as Extract<T, { __typename: N }>;
}

/**
 * The payload of a result union selected without its typename: the member that has `key`. Fails (as reading the
 * payload's fields would) when the result is another member.
 */
export function payloadOf<T extends object, K extends string>(
  result: T,
  key: K,
): Extract<T, Record<K, unknown>> {
  expect(result, `no ${key} in ${JSON.stringify(result)}`).toHaveProperty(key);
  return result as Extract<T, Record<K, unknown>>;
}

/**
 * A typed mutation document as a table-driven test uses it, the same test running over several mutations:
 * variables as a plain object, the result as its common part plus whatever the payload selects.
 */
export type AnyMutation = TypedDocumentNode<
  { r: ResultBase & Record<string, unknown> },
  Record<string, unknown>
>;
export const anyMutation = (document: DocumentNode): AnyMutation => document;

/** The paths of a ValidationError's issues, in order (never the messages: those are for people). */
export function issuePaths(result: ResultBase): string[] {
  expect(result.__typename).toBe('ValidationError');
  return (result.issues ?? []).map((issue) => issue.path);
}

export interface SeenWrite {
  method: string;
  path: string;
  status: number;
}

/** Every non-GET request a simulator recorded since its last reset. */
export function writesSeen(sim: RunningSim): SeenWrite[] {
  return sim.requests
    .list()
    .filter((r) => r.method !== 'GET')
    .map((r) => ({ method: r.method, path: r.path, status: r.status }));
}
