/**
 * The simulators of both upstream APIs (docs/upstreams.md), as a library: tests, benchmarks, `npm run simulator`
 * and the gateway's start-up (only when no upstream URL is configured) all start them through here.
 * Nothing in this folder imports from the gateway, and the gateway imports nothing from here but this
 * file, from `main.ts` only: the simulator is an independent second reading of the contract.
 */
import { type AuditState, createAuditHandler, createAuditState } from './audit/index.js';
import { DEMO_CREDENTIALS } from './credentials.js';
import type { DemoSizes, DemoTarget } from './demo-types.js';
import { type RunningSim, type SimServerOptions, startSimServer } from './http.js';
import { createPamHandler, createPamState, demoTargets, type PamState } from './pam/index.js';

export { DEMO_CREDENTIALS } from './credentials.js';
export { DEFAULT_DEMO_SIZES, type DemoSizes } from './demo-types.js';
export { demoSizesFromEnv } from './env-sizes.js';
export type { RunningSim } from './http.js';
export type { RecordedRequest, RequestRecord } from './record.js';

export interface DataOptions {
  /** Seed of the demo data generator (default 1): the same seed gives the same data. */
  seed?: number;
  /** Sizes of the demo data set; missing keys take `DEFAULT_DEMO_SIZES`. */
  sizes?: Partial<DemoSizes>;
  /**
   * Start with no demo objects: only the two demo users, policy 1 ("Static") and the audit keys.
   * Contract tests use this to create exactly the objects they reason about.
   */
  empty?: boolean;
}

export interface SimulatorsOptions extends DataOptions {
  /** Interface both servers bind (default `127.0.0.1`). */
  host?: string;
  /** Port of the PAM simulator (default 0: a free port). */
  pamPort?: number;
  /** Port of the Audit simulator (default 0: a free port). */
  auditPort?: number;
  /** Added latency per response in ms, for both (default 0). */
  latencyMs?: number;
  /** Most requests each simulator keeps in its record (default 50,000). */
  recordLimit?: number;
}

export interface RunningPamSimulator extends RunningSim {
  /** The in-memory state, for tests that check what a write left behind. */
  state: PamState;
  /** Test hook: `token` becomes an API key of the user named `userName` (which must exist). */
  addToken(token: string, userName: string): void;
  /** Test hook: `token` stops working at once (API key or session). */
  revokeToken(token: string): void;
}

export interface RunningAuditSimulator extends RunningSim {
  state: AuditState;
  /** Test hook: `key` becomes an API key of `organization` (an organisation without entries is fine). */
  addKey(key: string, organization: string): void;
  /** Test hook: `key` stops working at once. */
  revokeKey(key: string): void;
}

export interface RunningSimulators {
  pam: RunningPamSimulator;
  audit: RunningAuditSimulator;
  credentials: typeof DEMO_CREDENTIALS;
  /** Stops both servers. */
  stop(): Promise<void>;
}

function serverOptions(options: SimulatorsOptions, port: number | undefined): SimServerOptions {
  return {
    host: options.host ?? '127.0.0.1',
    port: port ?? 0,
    latencyMs: options.latencyMs ?? 0,
    recordLimit: options.recordLimit ?? 50_000,
  };
}

/** Starts the PAM simulator alone. */
export async function startPamSimulator(
  options: SimulatorsOptions = {},
): Promise<RunningPamSimulator & { targets: DemoTarget[] }> {
  const state = createPamState(options);
  const sim = await startSimServer(createPamHandler(state), serverOptions(options, options.pamPort));
  return {
    ...sim,
    state,
    targets: demoTargets(state),
    addToken(token, userName) {
      const user = state.users.list().find((u) => u.name === userName);
      if (!user) throw new Error(`no user named ${userName}`);
      state.apiKeys.set(token, user.id);
    },
    revokeToken(token) {
      state.apiKeys.delete(token);
      state.sessions.delete(token);
    },
  };
}

/** Starts the Audit simulator alone; `targets` are the PAM objects most demo entries should match. */
export async function startAuditSimulator(
  options: SimulatorsOptions = {},
  targets: DemoTarget[] = [],
): Promise<RunningAuditSimulator> {
  const state = createAuditState({ ...options, targets });
  const sim = await startSimServer(createAuditHandler(state), {
    ...serverOptions(options, options.auditPort),
    // The Audit API's error shape (docs/upstreams.md §2.1), also for the shell's own 413/500.
    errorBody: (message) => ({ error: message }),
  });
  return {
    ...sim,
    state,
    addKey: (key, organization) => void state.keys.set(key, organization),
    revokeKey: (key) => void state.keys.delete(key),
  };
}

/** Starts both simulators over one coherent demo data set. */
export async function startSimulators(options: SimulatorsOptions = {}): Promise<RunningSimulators> {
  const pam = await startPamSimulator(options);
  let audit: RunningAuditSimulator;
  try {
    audit = await startAuditSimulator(options, pam.targets);
  } catch (error) {
    await pam.stop();
    throw error;
  }
  return {
    pam,
    audit,
    credentials: DEMO_CREDENTIALS,
    async stop() {
      await Promise.all([pam.stop(), audit.stop()]);
    },
  };
}
