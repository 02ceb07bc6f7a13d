/**
 * The Audit API (docs/upstreams.md §2) as a pure function of the request.
 *
 * Order of checks, following §1.1's order (the Audit API has no roles, so no 403 step):
 *   1. unknown path → 404 (this includes a missing trailing slash, and an id segment that is not 24
 *      lowercase hex characters: such a path is not a route, exactly like any other unknown path);
 *   2. missing or unknown key → 401;
 *   3. method the path does not support → 405 (with an `Allow` header);
 *   4. malformed body or query, field validation → 400;
 *   5. an id that does not exist in the key's organisation → 404.
 */
import type { SimHandler, SimRequest, SimResponse } from '../http.js';
import { AUDIT_FIELDS, type AuditEntry, blankEntry, OPTIONAL_STRING_FIELDS } from './fields.js';
import type { AuditState } from './state.js';
import { checkListQuery, checkWriteBody, parseJsonObject, type WritableValues } from './validate.js';

export const AUDIT_PREFIX = '/ux/nccm/jobs-account-audit/';

const OBJECT_ID = /^[0-9a-f]{24}$/;

type Route = { kind: 'list' } | { kind: 'options' } | { kind: 'item'; id: string };

const ALLOWED: Record<Route['kind'], readonly string[]> = {
  list: ['GET', 'POST'],
  options: ['GET'],
  item: ['GET', 'PUT', 'DELETE'],
};

function matchRoute(path: string): Route | null {
  if (!path.startsWith(AUDIT_PREFIX)) return null;
  const rest = path.slice(AUDIT_PREFIX.length);
  if (rest === '') return { kind: 'list' };
  // Matched before ids, so `options/` is never read as an id (it is not hex anyway, but keep it explicit).
  if (rest === 'options/') return { kind: 'options' };
  if (!rest.endsWith('/')) return null;
  const id = rest.slice(0, -1);
  return OBJECT_ID.test(id) ? { kind: 'item', id } : null;
}

const error = (status: number, message: string): SimResponse => ({ status, body: { error: message } });
const notFound = (): SimResponse => error(404, 'Not found.');

/** The organisation of the request's key, or null. Accepts `<key>` and `ApiKey <key>` (scheme in any case). */
function authenticate(request: SimRequest, keys: ReadonlyMap<string, string>): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const value = header.trim();
  const prefixed = /^apikey\s+(\S+)$/i.exec(value);
  return keys.get(prefixed?.[1] ?? value) ?? null;
}

const copy = (entry: AuditEntry): AuditEntry => ({ ...entry });

/** An entry holding the written values; optional fields not given are reset to `""` (full replace). */
function writtenEntry(base: AuditEntry, values: WritableValues, now: string): AuditEntry {
  const entry = { ...base };
  entry.organization = values.organization;
  for (const field of OPTIONAL_STRING_FIELDS) entry[field] = values[field] ?? '';
  entry.last_update_time = values.last_update_time ?? now;
  return entry;
}

function readBody(request: SimRequest, organization: string): WritableValues | SimResponse {
  const parsed = parseJsonObject(request.body);
  if (!parsed.ok) return error(400, parsed.error);
  const checked = checkWriteBody(parsed.value, organization);
  if (!checked.ok) return { status: 400, body: { error: checked.error, fields: checked.fields } };
  return checked.value;
}

function isResponse(value: WritableValues | SimResponse): value is SimResponse {
  return 'status' in value;
}

function list(state: AuditState, organization: string, query: URLSearchParams): SimResponse {
  const checked = checkListQuery(query);
  if (!checked.ok) return { status: 400, body: { error: checked.error, fields: checked.fields } };
  const { itemsPerPage, page, sort, descending } = checked.value;
  const offset = (page - 1) * itemsPerPage;
  const entries = state.store.page({ organization, sort, descending, offset, limit: itemsPerPage });
  return { status: 200, body: entries.map(copy) };
}

function create(state: AuditState, organization: string, request: SimRequest): SimResponse {
  const values = readBody(request, organization);
  if (isResponse(values)) return values;
  const now = new Date().toISOString();
  // Read-only fields of an API-created entry: agent_id, connection_status, failure_message stay "".
  const base = { ...blankEntry(), id: state.newId(), creationtime: now };
  const entry = writtenEntry(base, values, now);
  state.store.put(entry);
  return { status: 201, body: copy(entry) };
}

function replace(state: AuditState, organization: string, id: string, request: SimRequest): SimResponse {
  const values = readBody(request, organization);
  if (isResponse(values)) return values;
  const existing = state.store.get(id, organization);
  if (existing === undefined) return notFound();
  const entry = writtenEntry(existing, values, new Date().toISOString());
  state.store.put(entry);
  return { status: 200, body: copy(entry) };
}

function options(): SimResponse {
  const body: Record<string, string | string[]> = {};
  // No field has a fixed default: organization is required and last_update_time is the write time.
  for (const field of AUDIT_FIELDS) body[field] = '';
  body.sort_fields = [...AUDIT_FIELDS];
  return { status: 200, body };
}

function dispatch(state: AuditState, route: Route, organization: string, request: SimRequest): SimResponse {
  if (route.kind === 'options') return options();
  if (route.kind === 'list') {
    return request.method === 'GET'
      ? list(state, organization, request.query)
      : create(state, organization, request);
  }
  if (request.method === 'PUT') return replace(state, organization, route.id, request);
  const entry = state.store.get(route.id, organization);
  if (entry === undefined) return notFound();
  if (request.method === 'GET') return { status: 200, body: copy(entry) };
  state.store.delete(route.id);
  return { status: 204 };
}

export function createAuditHandler(state: AuditState): SimHandler {
  return (request) => {
    const route = matchRoute(request.path);
    if (route === null) return notFound();
    const organization = authenticate(request, state.keys);
    if (organization === null) return error(401, 'Invalid API key.');
    const allowed = ALLOWED[route.kind];
    if (!allowed.includes(request.method)) {
      return {
        ...error(405, `Method "${request.method}" not allowed.`),
        headers: { allow: allowed.join(', ') },
      };
    }
    return dispatch(state, route, organization, request);
  };
}
