/** Demo listeners, safes, and the assignments and grants that tie accounts to them. */
import type { Random } from '../random.js';
import { BLOCK_REASONS, DEFAULT_PORTS, SAFE_AREAS, SAFE_SCOPES } from './demo-names.js';
import { demoTimestamp, weighted } from './demo-random.js';
import { addAssignment, addGrant, type PamState } from './store.js';
import type { Listener, ListenerMode, Protocol } from './types.js';

function demoListener(rng: Random, protocol: Protocol, index: number): Omit<Listener, 'id'> {
  const mode: ListenerMode =
    protocol === 'ssh' || protocol === 'rdp'
      ? weighted(rng, [
          ['proxy', 5],
          ['bastion', 3],
          ['gateway', 2],
        ] as const)
      : weighted(rng, [
          ['gateway', 5],
          ['transparent', 3],
          ['proxy', 2],
        ] as const);
  const withPort = mode === 'bastion' || mode === 'proxy';
  const external = rng.chance(0.3);
  const createdAt = demoTimestamp(rng);
  return {
    name: `${protocol}-${mode}-${index}`,
    protocol,
    mode,
    listenIp: rng.chance(0.7) ? '0.0.0.0' : `10.0.0.${rng.int(2, 250)}`,
    listenPort: withPort ? 10000 + DEFAULT_PORTS[protocol] + index : null,
    externalAddress: external ? 'pam.example.com' : null,
    externalPort: external ? 20000 + DEFAULT_PORTS[protocol] + index : null,
    blocked: false,
    reason: null,
    createdAt,
    modifiedAt: createdAt,
  };
}

/** Every protocol the servers use gets at least one listener, so every account can be assigned. */
export function generateListeners(
  state: PamState,
  rng: Random,
  count: number,
  protocols: ReadonlyArray<readonly [Protocol, number]>,
) {
  for (let i = 0; i < count && protocols.length > 0; i++) {
    const protocol = protocols[i]?.[0] ?? weighted(rng, protocols);
    state.listeners.insert(demoListener(rng, protocol, i + 1));
  }
}

export function generateSafes(state: PamState, rng: Random, count: number): void {
  for (let i = 0; i < count; i++) {
    const area = SAFE_AREAS[i % SAFE_AREAS.length] ?? 'Linux';
    const scope = SAFE_SCOPES[Math.floor(i / SAFE_AREAS.length) % SAFE_SCOPES.length] ?? 'Production';
    const round = Math.floor(i / (SAFE_AREAS.length * SAFE_SCOPES.length));
    const blocked = rng.chance(0.04);
    const createdAt = demoTimestamp(rng);
    state.safes.insert({
      name: round ? `${area} ${scope} ${round + 1}` : `${area} ${scope}`,
      blocked,
      reason: blocked ? rng.pick(BLOCK_REASONS) : null,
      loginReason: rng.chance(0.3),
      requireConfirmation: rng.chance(0.15),
      requiredVotes: rng.chance(0.15) ? rng.int(1, 2) : 0,
      webclient: rng.chance(0.8),
      inactivityLimit: rng.pick([0, 0, 15, 30]),
      timeLimit: rng.pick([0, 0, 60, 480]),
      noteAccess: weighted(rng, [
        ['none', 6],
        ['read', 3],
        ['write', 1],
      ] as const),
      createdAt,
      modifiedAt: createdAt,
    });
  }
}

/** Each account lands in 0–3 safes, always through listeners of its server's protocol. */
export function generateAssignments(state: PamState, rng: Random): void {
  const byProtocol = new Map<Protocol, number[]>();
  for (const l of state.listeners.rows.values())
    byProtocol.set(l.protocol, [...(byProtocol.get(l.protocol) ?? []), l.id]);
  const safeIds = [...state.safes.rows.keys()];
  for (const account of state.accounts.rows.values()) {
    const protocol = state.servers.get(account.serverId)?.protocol;
    const listenerIds = protocol ? byProtocol.get(protocol) : undefined;
    if (!listenerIds) continue;
    const safeCount = weighted(rng, [
      [0, 25],
      [1, 45],
      [2, 20],
      [3, 10],
    ] as const);
    for (const safeId of rng.sample(safeIds, safeCount)) {
      const through = rng.sample(listenerIds, rng.chance(0.15) ? 2 : 1);
      for (const listenerId of through) addAssignment(state, safeId, { accountId: account.id, listenerId });
    }
  }
}

/**
 * About 30 % of the accounts get 1–4 granted admins/operators; `operatorId` gets exactly a tenth of all
 * accounts, so the demo operator's view is a predictable slice.
 */
export function generateGrants(state: PamState, rng: Random, operatorId: number): void {
  const pool = state.users
    .list()
    .filter((u) => u.id !== operatorId && (u.role === 'admin' || u.role === 'operator'));
  const accountIds = [...state.accounts.rows.keys()];
  for (const accountId of accountIds) {
    if (pool.length === 0 || !rng.chance(0.3)) continue;
    for (const user of rng.sample(pool, rng.int(1, 4))) addGrant(state, accountId, user.id);
  }
  for (const accountId of rng.sample(accountIds, Math.round(accountIds.length / 10))) {
    addGrant(state, accountId, operatorId);
  }
}
