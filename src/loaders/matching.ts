/**
 * docs/upstreams.md §3 over one request's data: which PAM servers and accounts an audit entry matches, by value.
 * The indexes are built once per request from the whole server and account collections (one scan each).
 */
import {
  AccountIndex,
  type MatchAccount,
  type MatchEntry,
  type MatchServer,
  ServerIndex,
} from '../match/index.js';
import type { PamAccount, PamServer } from '../upstream/pam/index.js';
import type { PamCollection } from './pam-collection.js';

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

export class AuditMatching {
  #servers: Promise<Pick<Indexes, 'servers' | 'serverById'>> | undefined;
  #accounts: Promise<Indexes> | undefined;

  constructor(
    private readonly servers: PamCollection<PamServer>,
    private readonly accounts: PamCollection<PamAccount>,
  ) {}

  async serversFor(entry: MatchEntry): Promise<PamServer[]> {
    const { servers, serverById } = await this.#serverIndexes();
    return servers.serversFor(entry).flatMap((s) => serverById.get(s.id) ?? []);
  }

  async accountsFor(entry: MatchEntry): Promise<PamAccount[]> {
    const { accounts, accountById } = await this.#accountIndexes();
    return accounts.accountsFor(entry).flatMap((a) => accountById.get(a.id) ?? []);
  }

  #serverIndexes() {
    this.#servers ??= this.servers.all().then((all) => ({
      servers: new ServerIndex(all.map(toMatchServer)),
      serverById: new Map(all.map((s) => [s.id, s])),
    }));
    return this.#servers;
  }

  #accountIndexes(): Promise<Indexes> {
    this.#accounts ??= Promise.all([this.#serverIndexes(), this.accounts.all()]).then(([servers, all]) => ({
      ...servers,
      accounts: new AccountIndex(
        all.flatMap((a) => toMatchAccount(a) ?? []),
        servers.servers,
      ),
      accountById: new Map(all.map((a) => [a.id, a])),
    }));
    return this.#accounts;
  }
}
