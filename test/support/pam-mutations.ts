/**
 * The fixture of the PAM mutation suites (test/gateway/mutations-pam-*.test.ts): a gateway over empty
 * simulators, started before the file's tests and stopped after them, with the request records forgotten before
 * each test; names no other test of the file uses; seeders that write straight into the PAM simulator and then
 * forget their own requests; and reads of the simulator's state.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { PamState, Table } from '../../src/simulator/pam/store.js';
import type { Row } from '../../src/simulator/pam/types.js';
import { type SeenWrite, writesSeen } from './mutations.js';
import { SimulatorWriter } from './seed.js';
import { type Stack, startStack } from './stack.js';

export interface PamMutationFixture {
  /** The running stack, the writer into its simulators and the PAM simulator's state (after `beforeAll`). */
  current(): { stack: Stack; writer: SimulatorWriter; state: PamState };
  /** A name no other test of the file uses (names are unique per collection, case-insensitively). */
  uniq(prefix: string): string;
  /** Every non-GET request the PAM simulator recorded since the test began. */
  pamWrites(): SeenWrite[];
  /** A server with a fresh name and address. */
  seedServer(): Promise<{ id: number; name: string }>;
  /** A regular password account with non-default optional fields, so a PUT's resets are visible. */
  seedAccount(serverId: number): Promise<{ id: number; name: string }>;
  seedSafe(): Promise<number>;
  seedListener(): Promise<number>;
  /** The accounts assigned to a safe, as the simulator holds them. */
  assignmentsOf(safeId: number): Array<{ accountId: number; listenerId: number }>;
}

/** Registers the hooks of the fixture in the calling file and returns its helpers. */
export function pamMutationFixture(): PamMutationFixture {
  let stack: Stack | undefined;
  let writer: SimulatorWriter | undefined;
  let counter = 0;
  let octet = 0;

  beforeAll(async () => {
    stack = await startStack({ simulators: { empty: true } });
    const { credentials } = stack.sims;
    writer = new SimulatorWriter(
      stack.sims.pam.url,
      credentials.pam.superadminToken,
      stack.sims.audit.url,
      credentials.audit.primaryKey,
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(() => {
    stack?.resetRecords();
  });

  const current = () => {
    if (stack === undefined || writer === undefined) throw new Error('the stack has not started');
    return { stack, writer, state: stack.sims.pam.state };
  };
  const uniq = (prefix: string): string => `${prefix}-${++counter}`;
  /** Writes through the PAM API, then forgets the write so a test sees only its own requests. */
  const seeded = async (path: string, body: unknown): Promise<number> => {
    const { stack, writer } = current();
    const { id } = await writer.pam('POST', path, body);
    stack.resetRecords();
    return id;
  };

  return {
    current,
    uniq,
    pamWrites: () => writesSeen(current().stack.sims.pam),
    async seedServer() {
      const { stack, writer } = current();
      const name = uniq('srv');
      octet++;
      const { id } = await writer.server(name, `10.20.${octet}.1`, 'ssh', 22);
      stack.resetRecords();
      return { id, name };
    },
    async seedAccount(serverId) {
      const name = uniq('acct');
      const id = await seeded('/api/system/accounts', {
        name,
        type: 'regular',
        server_id: serverId,
        blocked: true,
        dump_mode: 'raw',
        ocr_enabled: true,
        ocr_lang: 'deu',
        retention: 90,
        password_checkout_time_limit: '01:30:00',
        credentials: {
          login: 'admin',
          domain: 'CORP',
          method: 'password',
          secret: 'seeded-secret',
          password_change_policy_id: 1,
        },
      });
      return { id, name };
    },
    seedSafe: () => seeded('/api/system/safes', { name: uniq('safe') }),
    seedListener: () =>
      seeded('/api/system/listeners', {
        name: uniq('lst'),
        protocol: 'ssh',
        mode: 'proxy',
        listen_port: 2200 + counter,
      }),
    assignmentsOf: (safeId) => [...(current().state.assignments.get(safeId)?.values() ?? [])],
  };
}

/** A row of a table that must exist. */
export function rowOf<T extends Row>(table: Table<T>, id: number): T {
  const row = table.get(id);
  if (row === undefined) throw new Error(`row ${id} missing`);
  return row;
}

export function idByName<T extends Row>(table: Table<T>, name: string): number {
  const row = table.findByName(name);
  if (row === undefined) throw new Error(`no row named ${name}`);
  return row.id;
}
