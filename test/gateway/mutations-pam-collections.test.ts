/**
 * The mutations of servers, safes, listeners and users through HTTP against the PAM simulator, one table of
 * cases (test/support/pam-collection-cases.ts) for all four: the typed result, the simulator's own state and
 * REST answer read back directly, and the write requests it received; then the objects still in use that
 * upstream rules keep from being deleted or made duplicates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PamState } from '../../src/simulator/pam/store.js';
import { globalId, issuePaths, mutate, OPERATOR, SUPERADMIN_TOKEN } from '../support/mutations.js';
import {
  type Collection,
  collectionCases,
  comparable,
  type ResourceCase,
} from '../support/pam-collection-cases.js';
import { idByName, pamMutationFixture, rowOf } from '../support/pam-mutations.js';
import { callSimulator, type SimulatorWriter } from '../support/seed.js';
import type { Stack } from '../support/stack.js';

const fixture = pamMutationFixture();
const { uniq, pamWrites, seedServer, seedAccount, seedSafe, seedListener, assignmentsOf } = fixture;
let stack: Stack;
let writer: SimulatorWriter;
let state: PamState;
beforeAll(() => {
  ({ stack, writer, state } = fixture.current());
});

const CASES = collectionCases(() => state);

describe.each(CASES)('$typename', (c) => {
  const docs = c.docs;
  const seed = async (): Promise<{ id: number; name: string }> => {
    const name = uniq(`seed-${c.field}`);
    const { id } = await writer.pam('POST', c.path, c.seed(name));
    stack.resetRecords();
    return { id, name };
  };

  it(`create${c.typename} posts once, returns it, and the simulator stores every field`, async () => {
    const name = uniq(`new-${c.field}`);
    const result = await mutate(stack, docs.create, { input: c.input(name) });
    const id = idByName(c.table(), name);
    expect(result).toEqual({
      __typename: `Create${c.typename}Payload`,
      [c.field]: { id: globalId(c.typename, id), pamId: String(id), ...c.payload(name) },
    });
    expect(comparable(c.table().get(id))).toEqual(c.stored(name));
    expect(pamWrites()).toEqual([{ method: 'POST', path: c.path, status: 201 }]);
  });

  it(`update${c.typename} (PATCH, global ID) changes only the given fields`, async () => {
    const { id } = await seed();
    const before = comparable(c.table().get(id));
    const result = await mutate(stack, docs.update, {
      id: globalId(c.typename, id),
      input: c.patch,
    });
    expect(result.__typename).toBe(`Update${c.typename}Payload`);
    expect(comparable(c.table().get(id))).toEqual({ ...before, ...c.patched });
    expect(pamWrites()).toEqual([{ method: 'PATCH', path: `${c.path}/${id}`, status: 200 }]);
  });

  it(`replace${c.typename} (PUT, PAM id) resets every omitted optional field`, async () => {
    const { id } = await seed();
    const name = uniq(`put-${c.field}`);
    const result = await mutate(stack, docs.replace, { id: String(id), input: c.minimal(name) });
    expect(result.__typename).toBe(`Replace${c.typename}Payload`);
    expect(comparable(c.table().get(id))).toEqual(c.reset(name));
    expect(pamWrites()).toEqual([{ method: 'PUT', path: `${c.path}/${id}`, status: 200 }]);
  });

  it(`delete${c.typename} deletes once and returns the global ID`, async () => {
    const { id } = await seed();
    const result = await mutate(stack, docs.remove, { id: String(id) });
    expect(result).toEqual({ __typename: `Delete${c.typename}Payload`, deletedId: globalId(c.typename, id) });
    expect(c.table().get(id)).toBeUndefined();
    expect(pamWrites()).toEqual([{ method: 'DELETE', path: `${c.path}/${id}`, status: 204 }]);
    const direct = await callSimulator(stack.sims.pam.url, 'GET', `${c.path}/${id}`, {
      auth: SUPERADMIN_TOKEN,
    });
    expect(direct.status).toBe(404);
  });

  it(`an unknown ${c.field} is a NotFoundError for update, replace and delete`, async () => {
    const missing = 313131;
    const size = c.table().size;
    const update = await mutate(stack, docs.update, {
      id: globalId(c.typename, missing),
      input: c.patch,
    });
    const replace = await mutate(stack, docs.replace, {
      id: String(missing),
      input: c.minimal(uniq('ghost')),
    });
    const remove = await mutate(stack, docs.remove, { id: String(missing) });
    expect([update.__typename, replace.__typename, remove.__typename]).toEqual([
      'NotFoundError',
      'NotFoundError',
      'NotFoundError',
    ]);
    expect(c.table().size).toBe(size);
    expect(pamWrites()).toEqual([
      { method: 'PATCH', path: `${c.path}/${missing}`, status: 404 },
      { method: 'PUT', path: `${c.path}/${missing}`, status: 404 },
      { method: 'DELETE', path: `${c.path}/${missing}`, status: 404 },
    ]);
  });

  it(`the operator gets a ForbiddenError for every ${c.field} write and nothing changes`, async () => {
    const { id } = await seed();
    const before = comparable(c.table().get(id));
    const size = c.table().size;
    const results = [
      await mutate(stack, docs.create, { input: c.input(uniq('op')) }, OPERATOR),
      await mutate(stack, docs.update, { id: String(id), input: c.patch }, OPERATOR),
      await mutate(stack, docs.replace, { id: String(id), input: c.minimal(uniq('op')) }, OPERATOR),
      await mutate(stack, docs.remove, { id: String(id) }, OPERATOR),
    ];
    expect(results.map((r) => r.__typename)).toEqual([
      'ForbiddenError',
      'ForbiddenError',
      'ForbiddenError',
      'ForbiddenError',
    ]);
    expect(comparable(c.table().get(id))).toEqual(before);
    expect(c.table().size).toBe(size);
    expect(pamWrites()).toEqual([
      { method: 'POST', path: c.path, status: 403 },
      { method: 'PATCH', path: `${c.path}/${id}`, status: 403 },
      { method: 'PUT', path: `${c.path}/${id}`, status: 403 },
      { method: 'DELETE', path: `${c.path}/${id}`, status: 403 },
    ]);
  });

  it(`a duplicate ${c.field} name (any case) is a ValidationError at input.name, on create and on update`, async () => {
    const existing = await seed();
    const other = await seed();
    const size = c.table().size;
    const create = await mutate(stack, docs.create, {
      input: c.input(existing.name.toUpperCase()),
    });
    expect(issuePaths(create)).toEqual(['input.name']);
    const rename = await mutate(stack, docs.update, {
      id: String(other.id),
      input: { name: existing.name },
    });
    expect(issuePaths(rename)).toEqual(['input.name']);
    expect(c.table().size).toBe(size);
    expect(c.table().get(other.id)?.name).toBe(other.name);
    expect(pamWrites()).toEqual([
      { method: 'POST', path: c.path, status: 400 },
      { method: 'PATCH', path: `${c.path}/${other.id}`, status: 400 },
    ]);
  });

  it(`a global ID of another type is a ValidationError at id for delete${c.typename}; nothing is sent`, async () => {
    const { id } = await seed();
    const result = await mutate(stack, docs.remove, {
      id: globalId(c.typename === 'Safe' ? 'Server' : 'Safe', id),
    });
    expect(issuePaths(result)).toEqual(['id']);
    expect(c.table().get(id)).toBeDefined();
    expect(pamWrites()).toEqual([]);
  });
});

describe('objects still in use', () => {
  it('deleteServer of a server accounts use is a ValidationError; the server stays', async () => {
    const server = await seedServer();
    await seedAccount(server.id);
    stack.resetRecords();
    const result = await mutate(stack, caseOf('Server').docs.remove, {
      id: globalId('Server', server.id),
    });
    expect(result.__typename).toBe('ValidationError');
    // About the object as a whole (upstream non_field_errors), not about a field.
    expect(issuePaths(result)).toEqual(['']);
    expect(state.servers.get(server.id)?.name).toBe(server.name);
    expect(pamWrites()).toEqual([
      { method: 'DELETE', path: `/api/system/servers/${server.id}`, status: 400 },
    ]);
  });

  it('deleteListener of a listener assignments use is a ValidationError; deleteSafe takes its assignments', async () => {
    const server = await seedServer();
    const { id } = await seedAccount(server.id);
    const safeId = await seedSafe();
    const listenerId = await seedListener();
    await writer.pam('POST', `/api/system/safes/${safeId}/accounts`, {
      account_id: id,
      listener_id: listenerId,
    });
    stack.resetRecords();
    const listener = await mutate(stack, caseOf('Listener').docs.remove, {
      id: String(listenerId),
    });
    expect(issuePaths(listener)).toEqual(['']);
    expect(state.listeners.get(listenerId)).toBeDefined();
    const safe = await mutate(stack, caseOf('Safe').docs.remove, { id: String(safeId) });
    expect(safe.__typename).toBe('DeleteSafePayload');
    expect(state.safes.get(safeId)).toBeUndefined();
    expect(assignmentsOf(safeId)).toEqual([]);
    expect(pamWrites()).toEqual([
      { method: 'DELETE', path: `/api/system/listeners/${listenerId}`, status: 400 },
      { method: 'DELETE', path: `/api/system/safes/${safeId}`, status: 204 },
    ]);
  });

  it('updateServer with an address, mask and port another server has is a ValidationError; nothing changes', async () => {
    const a = await seedServer();
    const b = await seedServer();
    const before = structuredClone(rowOf(state.servers, b.id));
    const taken = rowOf(state.servers, a.id);
    stack.resetRecords();
    const result = await mutate(stack, caseOf('Server').docs.update, {
      id: String(b.id),
      input: { address: taken.address, port: taken.port },
    });
    expect(result.__typename).toBe('ValidationError');
    expect(rowOf(state.servers, b.id)).toEqual(before);
  });
});

function caseOf(typename: Collection): ResourceCase {
  const found = CASES.find((c) => c.typename === typename);
  if (found === undefined) throw new Error(typename);
  return found;
}
