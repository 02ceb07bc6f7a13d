/**
 * The Audit API contract suites (test/contract/audit-api-*.test.ts, docs/upstreams.md §2): the simulator started
 * empty through the facade, so every entry a test reasons about is one it created; direct calls with the
 * primary key; and the constants and readings of the answers the suites share.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_CREDENTIALS, type RunningSim, startAuditSimulator } from '../../src/simulator/index.js';
import { type SimulatorReply, simulatorClient } from './seed.js';

export const BASE = '/ux/nccm/jobs-account-audit/';
export const { primaryKey: KEY, primaryOrganization: ORG } = DEMO_CREDENTIALS.audit;
export const { secondaryKey: OTHER_KEY, secondaryOrganization: OTHER_ORG } = DEMO_CREDENTIALS.audit;

export const FIELDS = [
  'id',
  'creationtime',
  'agent_id',
  'connection_status',
  'failure_message',
  'organization',
  'job_id',
  'ci_id',
  'job_iteration_id',
  'ipaddress',
  'device_account',
  'dpassword',
  'denable_password',
  'connection_protocol',
  'error',
  'task_owner',
  'client_ip',
  'job_type',
  'job_name',
  'process_name',
  'connection_for',
  'last_update_time',
  'config_type',
  'uofw',
];
export const OBJECT_ID = /^[0-9a-f]{24}$/;
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const NOT_FOUND = { error: 'Not found.' };
export const UNAUTHORIZED = { error: 'Invalid API key.' };
export const MISSING_ID = 'abcdefabcdefabcdefabcdef';

export type Entry = Record<string, string> & { id: string; creationtime: string; last_update_time: string };

let sim: RunningSim | undefined;

/** Starts the Audit simulator, empty, before the calling file's tests and stops it after them. */
export function auditSimulator(): void {
  beforeAll(async () => {
    sim = await startAuditSimulator({ empty: true }, []);
  });
  afterAll(async () => {
    await sim?.stop();
  });
}

function current(): RunningSim {
  if (sim === undefined) throw new Error('the simulator has not started');
  return sim;
}

/** A direct call with the primary key unless `auth` says otherwise (null: no Authorization header). */
export const call = simulatorClient(() => current().url, KEY);
export type Reply = SimulatorReply;

export async function create(fields: Record<string, unknown> = {}, auth: string = KEY): Promise<Entry> {
  const organization = auth === OTHER_KEY ? OTHER_ORG : ORG;
  const reply = await call('POST', BASE, { auth, body: { organization, ...fields } });
  expect(reply.status).toBe(201);
  return reply.body as Entry;
}

/** Every entry the key can see, through the list call. */
export async function listAll(auth: string = KEY, extra = ''): Promise<Entry[]> {
  const out: Entry[] = [];
  for (let page = 1; ; page++) {
    const reply = await call('GET', `${BASE}?items_per_page=500&page=${page}${extra}`, { auth });
    expect(reply.status).toBe(200);
    const items = reply.body as Entry[];
    if (items.length === 0) return out;
    out.push(...items);
  }
}

export function fieldErrors(reply: Reply): string[] {
  expect(reply.status).toBe(400);
  const body = reply.body as { error: unknown; fields: Record<string, unknown> };
  expect(typeof body.error).toBe('string');
  return Object.keys(body.fields).sort();
}

/** Independent reading of the list order: by the field, ties by id, both in the same direction. */
export function ordered(entries: Entry[], field: string, descending: boolean): string[] {
  const sign = descending ? -1 : 1;
  const key = (e: Entry) => e[field] ?? '';
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...entries].sort((a, b) => sign * (cmp(key(a), key(b)) || cmp(a.id, b.id))).map((e) => e.id);
}
