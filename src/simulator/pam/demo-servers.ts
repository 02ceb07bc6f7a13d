/**
 * Demo servers. Hosts are generated first and each host exposes one or more services (one server each), so
 * several servers share an address the way real appliances do (ssh + https on one box). The first hosts are
 * fixed to a shared-address host, a subnet and an IPv6 host so every data set, however small, shows them.
 */
import type { Random } from '../random.js';
import { BLOCK_REASONS, DEFAULT_PORTS, HOST_PREFIXES, PROTOCOL_WEIGHTS } from './demo-names.js';
import { demoTimestamp, pad2, weighted } from './demo-random.js';
import type { PamState } from './store.js';
import type { Protocol, Server } from './types.js';

type HostKind = 'shared' | 'subnet' | 'ipv6' | 'host';

interface HostPlan {
  address: string;
  mask: number | null;
  label: string;
  protocols: Protocol[];
}

class ServerGenerator {
  readonly #counters = new Map<string, number>();
  readonly #addresses = new Set<string>();
  #subnets = 0;

  constructor(
    readonly rng: Random,
    readonly active: ReadonlyArray<readonly [Protocol, number]>,
  ) {}

  protocol(): Protocol {
    return weighted(this.rng, this.active);
  }

  /** Distinct protocols when there are enough; repeats get another port in `insertHost`. */
  protocols(count: number, first: Protocol): Protocol[] {
    const others = this.active.map(([p]) => p).filter((p) => p !== first);
    const extra = this.rng.sample(others, count - 1);
    while (extra.length < count - 1) extra.push(first);
    return [first, ...extra];
  }

  hostLabel(protocol: Protocol): string {
    const prefix = this.rng.pick(HOST_PREFIXES[protocol]);
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return `${prefix}-${pad2(n)}`;
  }

  ipv4(): string {
    for (;;) {
      const address = `10.${this.rng.int(1, 254)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
      // 10.20.x.x and up hold the demo subnets; keeping hosts out of them keeps §3 matches unambiguous.
      if (!this.#addresses.has(address) && !address.startsWith('10.2')) {
        this.#addresses.add(address);
        return address;
      }
    }
  }

  plan(kind: HostKind, services: number): HostPlan {
    const first = kind === 'subnet' ? 'ssh' : this.protocol();
    const protocols = this.protocols(services, first);
    if (kind === 'subnet') {
      const k = this.#subnets++;
      const n = 30 + k;
      const address = k % 2 === 0 ? `10.${20 + (n >> 8)}.${n & 255}.0` : `172.${16 + (k >> 8)}.${k & 255}.0`;
      const mask = k % 2 === 0 ? 24 : 28;
      return { address, mask, label: `net-${address.replaceAll('.', '-')}-${mask}`, protocols };
    }
    const address =
      kind === 'ipv6'
        ? `2001:db8:${this.rng.int(1, 0xffff).toString(16)}::${this.rng.int(1, 0xfff).toString(16)}`
        : this.ipv4();
    return { address, mask: null, label: this.hostLabel(first), protocols };
  }
}

function hostKind(rng: Random, index: number): HostKind {
  const fixed: HostKind[] = ['shared', 'subnet', 'ipv6'];
  const kind = fixed[index];
  if (kind) return kind;
  const roll = rng.next();
  if (roll < 0.05) return 'subnet';
  if (roll < 0.09) return 'ipv6';
  return rng.chance(0.2) ? 'shared' : 'host';
}

function insertHost(state: PamState, rng: Random, host: HostPlan): void {
  const seen = new Map<Protocol, number>();
  for (const protocol of host.protocols) {
    const repeat = seen.get(protocol) ?? 0;
    seen.set(protocol, repeat + 1);
    const blocked = rng.chance(0.03);
    const createdAt = demoTimestamp(rng);
    state.servers.insert({
      name: repeat ? `${host.label}-${protocol}-${repeat + 1}` : `${host.label}-${protocol}`,
      description: `${protocol.toUpperCase()} access to ${host.label}`,
      address: host.address,
      mask: host.mask,
      port: DEFAULT_PORTS[protocol] + repeat * 1000,
      protocol,
      bindIp: null,
      blocked,
      reason: blocked ? rng.pick(BLOCK_REASONS) : null,
      createdAt,
      modifiedAt: createdAt,
    });
  }
}

/** The protocols the demo uses: as many as there are listeners to serve them, most common first. */
export function activeProtocols(listenerCount: number): ReadonlyArray<readonly [Protocol, number]> {
  return PROTOCOL_WEIGHTS.slice(0, Math.max(1, Math.min(listenerCount, PROTOCOL_WEIGHTS.length)));
}

export function generateServers(
  state: PamState,
  rng: Random,
  count: number,
  listenerCount: number,
): Server[] {
  const generator = new ServerGenerator(rng, activeProtocols(listenerCount));
  for (let index = 0; state.servers.size < count; index++) {
    const kind = hostKind(rng, index);
    const wanted = kind === 'shared' ? (index === 0 ? 3 : rng.int(2, 3)) : 1;
    const services = Math.min(wanted, count - state.servers.size);
    insertHost(state, rng, generator.plan(kind, services));
  }
  return state.servers.list();
}
