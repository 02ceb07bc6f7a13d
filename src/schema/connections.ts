/**
 * The connection types of the schema and the `first`/`after` arguments every connection field takes.
 * Connections are forward-only: the upstreams page by number and know no keyset.
 */
import type { AuditEntry } from '../upstream/audit.js';
import { type BuilderTypes, builder } from './builder.js';
import type { Counted } from './lists.js';
import type { Connection } from './paging.js';
import {
  AccountRef,
  AuditEntryRef,
  ListenerRef,
  type ListenerSource,
  SafeRef,
  ServerRef,
  UserRef,
} from './refs.js';

export type AuditEntryConnectionShape = Connection<AuditEntry> & { truncated?: boolean };

/** `totalCount` of a connection resolved by `resolveList` (src/schema/lists.ts). */
const totalCount = <S extends object>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, S>,
  what: string,
) =>
  t.int({
    nullable: true,
    description: `How many ${what} the whole list holds, with its filter applied; exact whenever given.`,
    resolve: (connection) => {
      const count = (connection as unknown as Partial<Counted<unknown>>).totalCount;
      return typeof count === 'function' ? count() : (count ?? null);
    },
  });

export const AccountConnection = builder.connectionObject({
  type: AccountRef,
  name: 'AccountConnection',
  description: 'A page of accounts.',
  fields: (t) => ({ totalCount: totalCount(t, 'accounts') }),
});

export const ServerConnection = builder.connectionObject({
  type: ServerRef,
  name: 'ServerConnection',
  description: 'A page of servers.',
  fields: (t) => ({ totalCount: totalCount(t, 'servers') }),
});

export const SafeConnection = builder.connectionObject({
  type: SafeRef,
  name: 'SafeConnection',
  description: 'A page of safes.',
  fields: (t) => ({ totalCount: totalCount(t, 'safes') }),
});

export const ListenerConnection = builder.connectionObject({
  type: ListenerRef,
  name: 'ListenerConnection',
  description: 'A page of listeners.',
  fields: (t) => ({ totalCount: totalCount(t, 'listeners') }),
});

export const UserConnection = builder.connectionObject({
  type: UserRef,
  name: 'UserConnection',
  description: 'A page of users.',
  fields: (t) => ({ totalCount: totalCount(t, 'users') }),
});

export const AuditEntryConnection = builder.connectionObject({
  type: AuditEntryRef,
  name: 'AuditEntryConnection',
  description: 'A page of audit entries.',
  fields: (t) => ({
    totalCount: totalCount(t, 'entries'),
    truncated: t.boolean({
      description:
        'True when the gateway stopped scanning the audit log at its configured limit before reaching the end: ' +
        'more matching entries may exist than this connection shows, an order other than newest first covers only ' +
        'the entries scanned, and `totalCount` is null. Only with views off or bypassed.',
      resolve: (connection) => (connection as AuditEntryConnectionShape).truncated ?? false,
    }),
  }),
});

/**
 * The listener of each `SafeAccountEdge`. Pothos types an edge as exactly `{cursor, node}`, so the extra value
 * travels beside the edge object rather than in it.
 */
const edgeListeners = new WeakMap<object, ListenerSource>();

export function withListener<E extends object>(edge: E, listener: ListenerSource): E {
  edgeListeners.set(edge, listener);
  return edge;
}

function listenerOf(edge: object): ListenerSource {
  const listener = edgeListeners.get(edge);
  if (!listener) throw new Error('a SafeAccountEdge without its listener');
  return listener;
}

export const SafeAccountConnection = builder.connectionObject(
  {
    type: AccountRef,
    name: 'SafeAccountConnection',
    description: 'A page of the accounts a safe exposes.',
    fields: (t) => ({ totalCount: totalCount(t, 'edges (one per account and listener)') }),
  },
  {
    name: 'SafeAccountEdge',
    description: 'An account exposed by the safe, with the listener it is exposed through.',
    fields: (t) => ({
      listener: t.field({
        type: ListenerRef,
        description: 'The listener through which the safe exposes this account.',
        resolve: (edge) => listenerOf(edge),
      }),
    }),
  },
);
