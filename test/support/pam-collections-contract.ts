/**
 * The fixture of the PAM collection contract suites (test/contract/pam-collections-*.test.ts, docs/upstreams.md
 * §1.4–§1.9): an empty PAM simulator with one logged-in user of role "service", and direct calls that keep
 * every response text.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_CREDENTIALS, startPamSimulator } from '../../src/simulator/index.js';
import { type SimulatorCall, simulatorClient } from './seed.js';

export const SU = DEMO_CREDENTIALS.pam.superadminToken;
export const OP = DEMO_CREDENTIALS.pam.operatorToken;
export const STAMP = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/);

export type Json = Record<string, unknown>;
type PamSimulator = Awaited<ReturnType<typeof startPamSimulator>>;

export interface PamCollectionsContract {
  /** The simulator and the session of the user of role "service" (after `beforeAll`). */
  current(): { sim: PamSimulator; userSession: string };
  /** Every response text the file's calls received, in order. */
  readonly seen: readonly string[];
  /** A direct call (superadmin unless `auth` says otherwise); every response text is kept in `seen`. */
  call(method: string, path: string, options?: SimulatorCall): Promise<{ status: number; body: Json }>;
  /** POSTs an object that must be created (201) and returns it. */
  post(path: string, body: Json): Promise<Json & { id: number }>;
}

/** Registers the simulator's start and stop in the calling file and returns its helpers. */
export function pamCollectionsContract(): PamCollectionsContract {
  const seen: string[] = [];
  let sim: PamSimulator | undefined;
  let userSession = '';
  const current = () => {
    if (sim === undefined) throw new Error('the simulator has not started');
    return { sim, userSession };
  };
  const pam = simulatorClient(() => current().sim.url, SU);

  async function call(method: string, path: string, options: SimulatorCall = {}) {
    const reply = await pam<Json>(method, path, options);
    seen.push(reply.text);
    return { status: reply.status, body: reply.body };
  }

  async function post(path: string, body: Json): Promise<Json & { id: number }> {
    const reply = await call('POST', path, { body });
    expect(reply.status).toBe(201);
    return reply.body as Json & { id: number };
  }

  beforeAll(async () => {
    sim = await startPamSimulator({ empty: true });
    await call('POST', '/api/system/users', {
      body: { name: 'svc-user', role: 'service', password: 'pw-svc' },
    });
    const login = await call('POST', '/api/system/login', {
      auth: null,
      body: { username: 'svc-user', password: 'pw-svc' },
    });
    userSession = (login.body as { sessionid: string }).sessionid;
  });
  afterAll(async () => {
    await sim?.stop();
  });

  return { current, seen, call, post };
}
