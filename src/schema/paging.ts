/**
 * Forward-only connections over offset windows. The upstreams page by number and have no keyset, so a
 * cursor is an opaque, versioned offset. `first` is checked here, before any upstream call.
 */
import type { ArgBuilder } from '@pothos/core';
import { GatewayError } from '../errors.js';
import type { BuilderTypes } from './builder.js';

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
}

export interface Window {
  offset: number;
  first: number;
  /** The filter and order the cursors are bound to (src/lists/query.ts `listFingerprint`); '' for none. */
  fingerprint?: string | undefined;
}

export function encodeCursor(offset: number, fingerprint = ''): string {
  const bound = fingerprint ? `:${fingerprint}` : '';
  return Buffer.from(`pc1:${offset}${bound}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, fingerprint: string): number {
  const match = /^pc1:(\d{1,9})(?::([\w-]{1,32}))?$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new GatewayError('BAD_USER_INPUT', '`after` is not a cursor of this connection.');
  if ((match[2] ?? '') !== fingerprint) {
    throw new GatewayError(
      'BAD_USER_INPUT',
      '`after` is a cursor of this list with other `filter` or `orderBy` arguments: a cursor is valid only with ' +
        'the filter and order it came from.',
    );
  }
  return Number(match[1]);
}

/** Validates `first`/`after` (bound to `fingerprint`) and returns the window they ask for. */
export function windowOf(
  args: ConnectionArgs,
  limits: { defaultPageSize: number; maxPageSize: number },
  fingerprint = '',
): Window {
  const first = args.first ?? limits.defaultPageSize;
  if (!Number.isInteger(first) || first < 0 || first > limits.maxPageSize) {
    throw new GatewayError('BAD_USER_INPUT', `\`first\` must be between 0 and ${limits.maxPageSize}.`);
  }
  const offset = args.after ? decodeCursor(args.after, fingerprint) + 1 : 0;
  return { offset, first, fingerprint };
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** Builds a connection from items fetched with `first + 1` (the extra one only tells `hasNextPage`). */
export function toConnection<T>(items: readonly T[], window: Window): Connection<T> {
  const edges = items
    .slice(0, window.first)
    .map((node, i) => ({ cursor: encodeCursor(window.offset + i, window.fingerprint), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: items.length > window.first,
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** The `first`/`after` arguments of every connection field. */
export function pageArgs(arg: ArgBuilder<BuilderTypes>, what: string) {
  return {
    first: arg.int({
      description: `How many ${what} to return (default 20, at most 100, unless the deployment configures otherwise).`,
    }),
    after: arg.string({ description: 'Cursor of the edge after which to continue (`pageInfo.endCursor`).' }),
  };
}
