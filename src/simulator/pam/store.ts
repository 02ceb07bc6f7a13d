/**
 * In-memory tables. Ids are handed out in increasing order and a Map keeps insertion order, so iterating a
 * table already yields ascending ids: lists never need sorting and by-id reads are a single Map lookup.
 */
import type { Account, Assignment, Listener, Policy, Row, Safe, Server, User } from './types.js';

export class Table<T extends Row> {
  readonly rows = new Map<number, T>();
  /** Lower-cased name → id, for the case-insensitive uniqueness rule. */
  readonly #names = new Map<string, number>();
  #nextId = 1;

  get(id: number): T | undefined {
    return this.rows.get(id);
  }

  list(): T[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }

  /** True when another row (not `exceptId`) already carries this name. */
  nameTaken(name: string, exceptId?: number): boolean {
    const owner = this.#names.get(name.toLowerCase());
    return owner !== undefined && owner !== exceptId;
  }

  findByName(name: string): T | undefined {
    const id = this.#names.get(name.toLowerCase());
    return id === undefined ? undefined : this.rows.get(id);
  }

  insert(data: Omit<T, 'id'>): T {
    const row = { ...data, id: this.#nextId++ } as T;
    this.rows.set(row.id, row);
    this.#names.set(row.name.toLowerCase(), row.id);
    return row;
  }

  replace(row: T): void {
    const old = this.rows.get(row.id);
    if (old) this.#names.delete(old.name.toLowerCase());
    this.rows.set(row.id, row);
    this.#names.set(row.name.toLowerCase(), row.id);
  }

  delete(id: number): void {
    const old = this.rows.get(id);
    if (!old) return;
    this.#names.delete(old.name.toLowerCase());
    this.rows.delete(id);
  }
}

/** The whole simulated appliance. */
export interface PamState {
  accounts: Table<Account>;
  servers: Table<Server>;
  safes: Table<Safe>;
  listeners: Table<Listener>;
  users: Table<User>;
  policies: Table<Policy>;
  /** account id → ids of the users granted to manage it. */
  grants: Map<number, Set<number>>;
  /** safe id → `${accountId}:${listenerId}` → assignment. */
  assignments: Map<number, Map<string, Assignment>>;
  /** API key → user id (fixed keys of the demo users). */
  apiKeys: Map<string, number>;
  /** Session id from `POST /login` → user id. */
  sessions: Map<string, number>;
  /** Clock for timestamps written by requests; tests may replace it. */
  now: () => Date;
}

export function createEmptyStore(): PamState {
  return {
    accounts: new Table<Account>(),
    servers: new Table<Server>(),
    safes: new Table<Safe>(),
    listeners: new Table<Listener>(),
    users: new Table<User>(),
    policies: new Table<Policy>(),
    grants: new Map(),
    assignments: new Map(),
    apiKeys: new Map(),
    sessions: new Map(),
    now: () => new Date(),
  };
}

export const assignmentKey = (accountId: number, listenerId: number): string => `${accountId}:${listenerId}`;

/** Adds an assignment; returns false when the (safe, account, listener) triple already exists. */
export function addAssignment(state: PamState, safeId: number, assignment: Assignment): boolean {
  let bySafe = state.assignments.get(safeId);
  if (!bySafe) {
    bySafe = new Map();
    state.assignments.set(safeId, bySafe);
  }
  const key = assignmentKey(assignment.accountId, assignment.listenerId);
  if (bySafe.has(key)) return false;
  bySafe.set(key, assignment);
  return true;
}

/** Adds a grant; returns false when the user was already granted. */
export function addGrant(state: PamState, accountId: number, userId: number): boolean {
  let users = state.grants.get(accountId);
  if (!users) {
    users = new Set();
    state.grants.set(accountId, users);
  }
  if (users.has(userId)) return false;
  users.add(userId);
  return true;
}
