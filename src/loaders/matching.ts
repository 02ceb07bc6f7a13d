/**
 * docs/upstreams.md §3: which PAM servers and accounts an audit entry matches, by value. The indexes are built
 * once per request from its collections (VIEWS=off, no-cache), or once per snapshot of the caller's PAM views.
 */
import {
  AccountIndex,
  type MatchAccount,
  type MatchEntry,
  type MatchServer,
  ServerIndex,
} from '../match/index.js';
import type { TraceHolder } from '../ops/tracing.js';
import type { PamAccount, PamServer } from '../upstream/pam/index.js';
import type { PamView, Snapshot } from '../views/pam-view.js';
import type { Collection } from './pam-collection.js';

interface Indexes {
  servers: ServerIndex;
  accounts: AccountIndex;
  serverById: Map<number, PamServer>;
  accountById: Map<number, PamAccount>;
}

export function toMatchServer(server: PamServer): MatchServer {
  return { id: server.id, address: server.address, mask: server.mask, protocol: server.protocol };
}

/** Accounts without credentials have no login, so no audit entry can name them. */
export function toMatchAccount(account: PamAccount): MatchAccount | null {
  if (!account.credentials) return null;
  return {
    id: account.id,
    serverId: account.serverId,
    login: account.credentials.login,
    domain: account.credentials.domain,
  };
}

type ServerIndexes = Pick<Indexes, 'servers' | 'serverById'>;

function serverIndexes(all: readonly PamServer[]): ServerIndexes {
  return { servers: new ServerIndex(all.map(toMatchServer)), serverById: new Map(all.map((s) => [s.id, s])) };
}

function accountIndexes(servers: ServerIndexes, all: readonly PamAccount[]): Indexes {
  return {
    ...servers,
    accounts: new AccountIndex(
      all.flatMap((a) => toMatchAccount(a) ?? []),
      servers.servers,
    ),
    accountById: new Map(all.map((a) => [a.id, a])),
  };
}

/** Where the indexes come from: built per request from its loaders, or shared per PAM view snapshot. */
export interface IndexSource {
  servers(): Promise<ServerIndexes>;
  accounts(): Promise<Indexes>;
}

/** Built once per request from the whole server and account collections (one scan each). */
export function requestIndexes(
  servers: Collection<PamServer>,
  accounts: Collection<PamAccount>,
): IndexSource {
  let byServer: Promise<ServerIndexes> | undefined;
  let byAccount: Promise<Indexes> | undefined;
  const source: IndexSource = {
    servers: () => {
      byServer ??= servers.all().then(serverIndexes);
      return byServer;
    },
    accounts: () => {
      byAccount ??= Promise.all([source.servers(), accounts.all()]).then(([s, all]) =>
        accountIndexes(s, all),
      );
      return byAccount;
    },
  };
  return source;
}

const SERVER_INDEXES = new WeakMap<Snapshot<PamServer>, ServerIndexes>();
const ACCOUNT_INDEXES = new WeakMap<Snapshot<PamAccount>, WeakMap<Snapshot<PamServer>, Indexes>>();

/**
 * Built once per snapshot of the caller's PAM views and shared by every request of that PAM scope: the matches
 * follow exactly what that credential may see (issue 11: matching never widens PAM visibility).
 */
export function viewIndexes(
  servers: PamView<PamServer>,
  accounts: PamView<PamAccount>,
  reader?: TraceHolder,
): IndexSource {
  const forServers = (snapshot: Snapshot<PamServer>) => {
    let indexes = SERVER_INDEXES.get(snapshot);
    if (!indexes) {
      indexes = serverIndexes(snapshot.items);
      SERVER_INDEXES.set(snapshot, indexes);
    }
    return indexes;
  };
  return {
    servers: async () => forServers(await servers.snapshot(reader)),
    accounts: async () => {
      const [s, a] = await Promise.all([servers.snapshot(reader), accounts.snapshot(reader)]);
      let byServers = ACCOUNT_INDEXES.get(a);
      if (!byServers) {
        byServers = new WeakMap();
        ACCOUNT_INDEXES.set(a, byServers);
      }
      let indexes = byServers.get(s);
      if (!indexes) {
        indexes = accountIndexes(forServers(s), a.items);
        byServers.set(s, indexes);
      }
      return indexes;
    },
  };
}

export class AuditMatching {
  constructor(private readonly indexes: IndexSource) {}

  async serversFor(entry: MatchEntry): Promise<PamServer[]> {
    const { servers, serverById } = await this.indexes.servers();
    return servers.serversFor(entry).flatMap((s) => serverById.get(s.id) ?? []);
  }

  async accountsFor(entry: MatchEntry): Promise<PamAccount[]> {
    const { accounts, accountById } = await this.indexes.accounts();
    return accounts.accountsFor(entry).flatMap((a) => accountById.get(a.id) ?? []);
  }
}
