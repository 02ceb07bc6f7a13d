/** The slices of PAM servers, PAM accounts and audit entries that docs/upstreams.md §3 matches on. */

export interface MatchServer {
  id: number;
  address: string;
  mask: number | null;
  protocol: string;
}

export interface MatchAccount {
  id: number;
  serverId: number;
  login: string;
  domain: string | null;
}

/** Audit fields as recorded; the upstream reads unset fields back as `""`, callers may also pass `null`. */
export interface MatchEntry {
  ipAddress: string | null;
  deviceAccount: string | null;
  connectionProtocol: string | null;
}
