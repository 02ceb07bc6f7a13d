/**
 * The Audit simulator's state: the entries, the API keys with their organisations, and the source of ids
 * for entries created through the API.
 */
import { DEMO_CREDENTIALS } from '../credentials.js';
import { DEFAULT_DEMO_SIZES, type DemoSizes, type DemoTarget } from '../demo-types.js';
import { Random } from '../random.js';
import { generateDemoEntries } from './demo.js';
import { AuditStore } from './store.js';

export interface AuditState {
  readonly store: AuditStore;
  /** API key → the organisation it belongs to; tests add and revoke keys through the running simulator. */
  readonly keys: Map<string, string>;
  /** A fresh id (24 lowercase hex characters) that no entry has. */
  newId(): string;
}

export interface AuditStateOptions {
  /** Seed of the demo data (default 1). */
  seed?: number;
  sizes?: Partial<DemoSizes>;
  /** No entries at all; the keys still work. */
  empty?: boolean;
  /** The PAM objects most demo entries should match (docs/upstreams.md §3). */
  targets: DemoTarget[];
}

/**
 * Ids shaped like Mongo ObjectIds: 8 hex digits of Unix seconds, then a 16-digit counter. The counter makes
 * them unique within the simulator; the store check guards against a clash with a (random) demo id.
 */
function idSource(store: AuditStore): () => string {
  let counter = 0;
  return () => {
    for (;;) {
      counter++;
      const seconds = Math.floor(Date.now() / 1000) % 0x1_0000_0000;
      const id = seconds.toString(16).padStart(8, '0') + counter.toString(16).padStart(16, '0');
      if (!store.has(id)) return id;
    }
  };
}

export function createAuditState(options: AuditStateOptions): AuditState {
  const { audit } = DEMO_CREDENTIALS;
  const keys = new Map<string, string>([
    [audit.primaryKey, audit.primaryOrganization],
    [audit.secondaryKey, audit.secondaryOrganization],
    [audit.primarySecondKey, audit.primaryOrganization],
    [audit.secondarySecondKey, audit.secondaryOrganization],
  ]);
  const store = new AuditStore();
  if (!options.empty) {
    const sizes = { ...DEFAULT_DEMO_SIZES, ...options.sizes };
    const rng = new Random(options.seed ?? 1);
    const entries = generateDemoEntries(
      rng,
      sizes.auditEntries,
      sizes.primaryOrganizationShare,
      options.targets,
    );
    for (const entry of entries) store.put(entry);
  }
  return { store, keys, newId: idSource(store) };
}
