/**
 * Demo data sizes from the environment: `SIMULATOR_ACCOUNTS`, `SIMULATOR_SERVERS`, `SIMULATOR_SAFES`,
 * `SIMULATOR_LISTENERS`, `SIMULATOR_USERS` and `SIMULATOR_AUDIT_ENTRIES`, each a whole number. Unset ones keep the
 * defaults. With the same `SIMULATOR_SEED` the same sizes give the same data. The simulator reads its own settings;
 * it shares no code with the gateway's config.
 */
import type { DemoSizes } from './demo-types.js';

const VARIABLES = {
  accounts: 'SIMULATOR_ACCOUNTS',
  servers: 'SIMULATOR_SERVERS',
  safes: 'SIMULATOR_SAFES',
  listeners: 'SIMULATOR_LISTENERS',
  users: 'SIMULATOR_USERS',
  auditEntries: 'SIMULATOR_AUDIT_ENTRIES',
} as const satisfies Partial<Record<keyof DemoSizes, string>>;

/** Most objects of one kind: far above any demo, low enough that a typo does not exhaust memory. */
const MAX_COUNT = 5_000_000;

/** The sizes the environment sets; throws an Error naming the variable when a value is not a whole number. */
export function demoSizesFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<DemoSizes> {
  const sizes: Partial<DemoSizes> = {};
  for (const [key, name] of Object.entries(VARIABLES) as Array<[keyof typeof VARIABLES, string]>) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    if (!/^\d+$/.test(raw) || Number(raw) > MAX_COUNT) {
      throw new Error(`${name} must be a whole number from 0 to ${MAX_COUNT}.`);
    }
    sizes[key] = Number(raw);
  }
  // Servers and users the other collections refer to must exist.
  for (const key of ['servers', 'users'] as const) {
    if (sizes[key] === 0) throw new Error(`${VARIABLES[key]} must be at least 1.`);
  }
  return sizes;
}
