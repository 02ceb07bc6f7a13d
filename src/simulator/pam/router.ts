/**
 * Routing and the fixed order of checks of docs/upstreams.md §1.1: unknown path 404, token 401, method 405,
 * role 403; validation (400) and unknown ids (404) are left to the endpoints, in that order.
 */
import type { SimHandler, SimRequest, SimResponse } from '../http.js';
import { accounts } from './accounts.js';
import { createAssignment, deleteAssignments, listAssignments } from './assignments.js';
import { authenticate, roleAllows } from './auth.js';
import type { Endpoint } from './context.js';
import { createRow, deleteRow, getRow, listRows, type Resource, updateRow } from './crud.js';
import { FORBIDDEN, methodNotAllowed, NOT_FOUND, UNAUTHENTICATED } from './errors.js';
import { createGrant, deleteGrant, listGrants } from './grants.js';
import { listeners } from './listeners.js';
import { login } from './login.js';
import { policies } from './policies.js';
import { safes } from './safes.js';
import { servers } from './servers.js';
import type { PamState } from './store.js';
import type { Row } from './types.js';
import { users } from './users.js';

const PREFIX = '/api/system/';

type Methods = Readonly<Partial<Record<string, Endpoint>>>;

interface CollectionRoutes {
  list: Methods;
  item: Methods;
}

function crudRoutes<T extends Row>(resource: Resource<T>): CollectionRoutes {
  return {
    list: { GET: (ctx) => listRows(resource, ctx), POST: (ctx) => createRow(resource, ctx) },
    item: {
      GET: (ctx) => getRow(resource, ctx),
      PUT: (ctx) => updateRow(resource, ctx, false),
      PATCH: (ctx) => updateRow(resource, ctx, true),
      DELETE: (ctx) => deleteRow(resource, ctx),
    },
  };
}

const COLLECTIONS = new Map<string, CollectionRoutes>([
  ['accounts', crudRoutes(accounts)],
  ['servers', crudRoutes(servers)],
  ['safes', crudRoutes(safes)],
  ['listeners', crudRoutes(listeners)],
  ['users', crudRoutes(users)],
  [
    'password_change_policies',
    { list: { GET: (ctx) => listRows(policies, ctx) }, item: { GET: (ctx) => getRow(policies, ctx) } },
  ],
]);

/** Sub-collections: `<collection>/:id/<name>` and `<collection>/:id/<name>/:id`. */
const NESTED = new Map<string, CollectionRoutes>([
  ['accounts/granted_users', { list: { GET: listGrants, POST: createGrant }, item: { DELETE: deleteGrant } }],
  [
    'safes/accounts',
    { list: { GET: listAssignments, POST: createAssignment }, item: { DELETE: deleteAssignments } },
  ],
]);

interface Match {
  methods: Methods;
  params: string[];
}

function match(segments: string[]): Match | undefined {
  const [collection = '', id, sub, subId] = segments;
  if (segments.length <= 2) {
    const routes = COLLECTIONS.get(collection);
    if (!routes) return undefined;
    return id === undefined ? { methods: routes.list, params: [] } : { methods: routes.item, params: [id] };
  }
  const routes = NESTED.get(`${collection}/${sub}`);
  if (!routes || id === undefined || segments.length > 4) return undefined;
  return subId === undefined
    ? { methods: routes.list, params: [id] }
    : { methods: routes.item, params: [id, subId] };
}

/** Path segments under the prefix; a trailing or doubled slash leaves an empty segment and so matches nothing. */
function segmentsOf(path: string): string[] | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const segments = path.slice(PREFIX.length).split('/');
  return segments.some((s) => s === '') ? undefined : segments;
}

function dispatch(state: PamState, request: SimRequest, found: Match): SimResponse {
  const user = authenticate(state, request);
  if (!user) return UNAUTHENTICATED;
  const endpoint = found.methods[request.method];
  if (!endpoint) return methodNotAllowed(request.method, Object.keys(found.methods));
  if (!roleAllows(user, request.method)) return FORBIDDEN;
  return endpoint({ state, user, request, params: found.params });
}

export function createRouter(state: PamState): SimHandler {
  return (request) => {
    const segments = segmentsOf(request.path);
    if (segments?.length === 1 && segments[0] === 'login') {
      // The login call is the one path that needs no token.
      return request.method === 'POST' ? login(state, request) : methodNotAllowed(request.method, ['POST']);
    }
    const found = segments && match(segments);
    return found ? dispatch(state, request, found) : NOT_FOUND;
  };
}
