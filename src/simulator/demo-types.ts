/**
 * What the audit demo generator needs to know of the PAM demo data so that most audit entries match an
 * existing server and account by docs/upstreams.md §3. A plain value type: it keeps the two simulators
 * independent of each other's internals.
 */
export interface DemoTarget {
  /** The server's `address` (IPv4 or IPv6). */
  address: string;
  /** The server's `mask`, or null for a single host. */
  mask: number | null;
  /** The server's protocol, e.g. `ssh`. */
  protocol: string;
  /** The account's `credentials.login`. */
  login: string;
  /** The account's `credentials.domain`, or null when it has none. */
  domain: string | null;
}

/** Sizes of the generated demo data set. */
export interface DemoSizes {
  accounts: number;
  servers: number;
  safes: number;
  listeners: number;
  users: number;
  auditEntries: number;
  /** Share of audit entries in the primary organisation, 0..1. */
  primaryOrganizationShare: number;
}

export const DEFAULT_DEMO_SIZES: DemoSizes = {
  accounts: 2000,
  servers: 200,
  safes: 50,
  listeners: 20,
  users: 100,
  auditEntries: 20_000,
  primaryOrganizationShare: 0.75,
};
