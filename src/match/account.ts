/**
 * Audit entry → account (docs/upstreams.md §3): `device_account` is the account's login, optionally qualified
 * by a domain (`DOMAIN\login`, `login@domain`), and the account's server matches the entry.
 */
import { type ServerIndex, serverMatchesEntry } from './server.js';
import type { MatchAccount, MatchEntry, MatchServer } from './types.js';

export interface DeviceAccountReading {
  login: string;
  domain: string | null;
}

function split(text: string, at: number, domainFirst: boolean): DeviceAccountReading | null {
  if (at < 0) return null;
  const left = text.slice(0, at);
  const right = text.slice(at + 1);
  if (left === '' || right === '') return null;
  return domainFirst ? { login: right, domain: left } : { login: left, domain: right };
}

/**
 * Every reading of a `device_account` text, plain reading first. The text is used as recorded (no
 * trimming): logins compare exactly. The plain reading (the whole text, no domain) always comes first
 * because a login may itself contain `@` or `\`. `DOMAIN\login` splits at the first `\` (a NetBIOS
 * domain holds no `\`); `login@domain` at the last `@` (a domain holds no `@`). A text with both
 * separators (`a\b@c`) yields both single splits — domain `a` with login `b@c`, and domain `c` with
 * login `a\b` — never one reading with two domains. A split with an empty side gives no reading.
 */
export function parseDeviceAccount(text: string): DeviceAccountReading[] {
  if (typeof text !== 'string' || text === '') return [];
  const readings: DeviceAccountReading[] = [{ login: text, domain: null }];
  for (const reading of [split(text, text.indexOf('\\'), true), split(text, text.lastIndexOf('@'), false)]) {
    if (reading !== null) readings.push(reading);
  }
  return readings;
}

/**
 * A plain reading matches whatever the account's domain. A qualified reading needs the account's domain
 * to equal it ignoring case; an account with no (or an empty) domain never matches a qualified reading,
 * and no NetBIOS/DNS equivalence is assumed (`CORP` is not `corp.example.com`).
 */
export function readingMatches(reading: DeviceAccountReading, account: MatchAccount): boolean {
  if (reading.login !== account.login) return false;
  if (reading.domain === null) return true;
  // A qualified reading's domain is never empty, so a missing or empty account domain cannot equal it.
  return (account.domain ?? '').toLowerCase() === reading.domain.toLowerCase();
}

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;

function readingsOf(entry: MatchEntry): DeviceAccountReading[] {
  return typeof entry.deviceAccount === 'string' ? parseDeviceAccount(entry.deviceAccount) : [];
}

/** `server` must be the account's server; any other server gives `false` rather than a wrong match. */
export function accountMatchesEntry(account: MatchAccount, server: MatchServer, entry: MatchEntry): boolean {
  if (account.serverId !== server.id || !serverMatchesEntry(server, entry)) return false;
  return readingsOf(entry).some((reading) => readingMatches(reading, account));
}

/**
 * Accounts bucketed by server, then by exact login. A lookup finds the entry's servers first (few) and
 * then does one hash lookup per server and reading, so a login shared by thousands of accounts (`root`)
 * costs no more than a rare one.
 */
export class AccountIndex {
  readonly #byServer = new Map<number, Map<string, MatchAccount[]>>();

  constructor(
    accounts: readonly MatchAccount[],
    private readonly servers: ServerIndex,
  ) {
    for (const account of [...accounts].sort(byId)) {
      let byLogin = this.#byServer.get(account.serverId);
      if (byLogin === undefined) {
        byLogin = new Map();
        this.#byServer.set(account.serverId, byLogin);
      }
      const list = byLogin.get(account.login);
      if (list === undefined) byLogin.set(account.login, [account]);
      else list.push(account);
    }
  }

  accountsFor(entry: MatchEntry): MatchAccount[] {
    const readings = readingsOf(entry);
    if (readings.length === 0) return [];
    const found = new Set<MatchAccount>();
    for (const server of this.servers.serversFor(entry)) {
      const byLogin = this.#byServer.get(server.id);
      if (byLogin === undefined) continue;
      for (const reading of readings) {
        for (const account of byLogin.get(reading.login) ?? []) {
          if (readingMatches(reading, account)) found.add(account);
        }
      }
    }
    return [...found].sort(byId);
  }
}
