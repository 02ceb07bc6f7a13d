/**
 * The fixture of the PAM account contract suites (test/contract/pam-accounts-*.test.ts, docs/upstreams.md §1.2
 * and §1.3): an empty PAM simulator with one server and one user of role "user" (logged in), direct calls that
 * keep every response text, a regular account body, and the closing check that no write-only value ever came
 * back in any of those responses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startPamSimulator } from '../../src/simulator/index.js';
import { type SimulatorCall, simulatorClient } from './seed.js';

export const SU = DEMO_CREDENTIALS.pam.superadminToken;
export const OP = DEMO_CREDENTIALS.pam.operatorToken;
export const OPERATOR_ID = 2;
/** Write-only values: none of them may ever appear in a response body. */
export const SECRET = 'S3cret-literal-7f1c';
export const SECRET2 = 'S3cret-second-9a2b';
export const PRIVATE_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nPRIVKEY-literal-abc\n-----END OPENSSH PRIVATE KEY-----';
const WRITE_ONLY = [
  SECRET,
  SECRET2,
  'PRIVKEY-literal-abc',
  'enable-literal-pw',
  'priv-literal-pw',
  'ssh-literal-pw',
];

export type Json = Record<string, unknown>;
type PamSimulator = Awaited<ReturnType<typeof startPamSimulator>>;

export interface PamAccountsContract {
  /** The simulator, its server's id and the session of the user of role "user" (after `beforeAll`). */
  current(): { sim: PamSimulator; serverId: number; userSession: string };
  /** A direct call (superadmin unless `auth` says otherwise); every response text is kept for the check. */
  call(method: string, path: string, options?: SimulatorCall): Promise<{ status: number; body: Json }>;
  /** A regular password account on the server, carrying SECRET. */
  regular(name: string, extra?: Json): Json;
  /** POSTs an account that must be created (201) and returns it. */
  createAccount(body: Json): Promise<Json & { id: number }>;
  /**
   * The closing test: no response of the file held a write-only value (nor a write-only field name); more than
   * `minimum` responses were searched, so it cannot pass on nothing.
   */
  describeWriteOnlyCheck(minimum: number): void;
}

/** Registers the simulator's start and stop in the calling file and returns its helpers. */
export function pamAccountsContract(): PamAccountsContract {
  const seen: string[] = [];
  let sim: PamSimulator | undefined;
  let serverId = 0;
  let userSession = '';
  const pam = simulatorClient(() => current().sim.url, SU);

  const current = () => {
    if (sim === undefined) throw new Error('the simulator has not started');
    return { sim, serverId, userSession };
  };
  async function call(method: string, path: string, options: SimulatorCall = {}) {
    const reply = await pam<Json>(method, path, options);
    seen.push(reply.text);
    return { status: reply.status, body: reply.body };
  }
  const regular = (name: string, extra: Json = {}): Json => ({
    name,
    type: 'regular',
    server_id: serverId,
    credentials: { login: 'root', method: 'password', secret: SECRET, password_change_policy_id: 1 },
    ...extra,
  });
  async function createAccount(body: Json): Promise<Json & { id: number }> {
    const reply = await call('POST', '/api/system/accounts', { body });
    expect(reply.status).toBe(201);
    return reply.body as Json & { id: number };
  }

  beforeAll(async () => {
    sim = await startPamSimulator({ empty: true });
    const server = await call('POST', '/api/system/servers', {
      body: { name: 'web-01-ssh', address: '10.0.0.1', port: 22, protocol: 'ssh' },
    });
    serverId = (server.body as { id: number }).id;
    await call('POST', '/api/system/users', {
      body: { name: 'plain-user', role: 'user', password: 'pw-plain' },
    });
    const login = await call('POST', '/api/system/login', {
      auth: null,
      body: { username: 'plain-user', password: 'pw-plain' },
    });
    userSession = (login.body as { sessionid: string }).sessionid;
  });
  afterAll(async () => {
    await sim?.stop();
  });

  return {
    current,
    call,
    regular,
    createAccount,
    describeWriteOnlyCheck(minimum) {
      describe('§1.1 Write-only fields', () => {
        it('§1.1 no secret, private key or changer password appears in any response body of this suite', async () => {
          await call('GET', '/api/system/accounts');
          expect(seen.length).toBeGreaterThan(minimum);
          for (const text of seen) for (const literal of WRITE_ONLY) expect(text).not.toContain(literal);
          expect(seen.join('\n')).not.toMatch(
            /"(secret|private_key|privileged_mode_password|privileged_password|ssh_password)"/,
          );
        });
      });
    },
  };
}
