/** Builds a PamState: the fixed users and policy 1 always, the seeded demo data set unless `empty`. */
import { DEFAULT_DEMO_SIZES, type DemoSizes, type DemoTarget } from '../demo-types.js';
import { Random } from '../random.js';
import { generateAccounts } from './demo-accounts.js';
import { DEMO_POLICIES } from './demo-names.js';
import { generateAssignments, generateGrants, generateListeners, generateSafes } from './demo-safes.js';
import { activeProtocols, generateServers } from './demo-servers.js';
import { generateUsers, insertFixedUsers } from './demo-users.js';
import { STATIC_POLICY } from './policies.js';
import { createEmptyStore, type PamState } from './store.js';

export interface PamStateOptions {
  seed?: number;
  sizes?: Partial<DemoSizes>;
  empty?: boolean;
}

const OPERATOR_ID = 2;

export function createPamState(options: PamStateOptions = {}): PamState {
  const state = createEmptyStore();
  insertFixedUsers(state);
  state.policies.insert(STATIC_POLICY);
  if (options.empty) return state;

  const sizes = { ...DEFAULT_DEMO_SIZES, ...options.sizes };
  const rng = new Random(options.seed ?? 1);
  for (const policy of DEMO_POLICIES) state.policies.insert(policy);
  generateUsers(state, rng, sizes.users);
  const servers = generateServers(state, rng, sizes.servers, sizes.listeners);
  generateAccounts(state, rng, sizes.accounts, servers);
  // Listeners serve exactly the protocols the servers ended up using, so none is idle and none is missing.
  const used = new Set(servers.map((server) => server.protocol));
  const protocols = activeProtocols(sizes.listeners).filter(([protocol]) => used.has(protocol));
  generateListeners(state, rng, sizes.listeners, protocols);
  generateSafes(state, rng, sizes.safes);
  generateAssignments(state, rng);
  generateGrants(state, rng, OPERATOR_ID);
  return state;
}

/** One target per account that has credentials, for the audit generator (docs/upstreams.md §3). */
export function demoTargets(state: PamState): DemoTarget[] {
  const targets: DemoTarget[] = [];
  for (const account of state.accounts.rows.values()) {
    const server = state.servers.get(account.serverId);
    if (!account.credentials || !server) continue;
    targets.push({
      address: server.address,
      mask: server.mask,
      protocol: server.protocol,
      login: account.credentials.login,
      domain: account.credentials.domain || null,
    });
  }
  return targets;
}
