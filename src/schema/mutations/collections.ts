/**
 * Writes of servers, safes, listeners and users (docs/upstreams.md §1.5–1.8).
 */
import {
  createListener,
  createSafe,
  createServer,
  createUser,
  deleteListener,
  deleteSafe,
  deleteServer,
  deleteUser,
  replaceListener,
  replaceSafe,
  replaceServer,
  replaceUser,
  updateListener,
  updateSafe,
  updateServer,
  updateUser,
} from '../../upstream/pam/index.js';
import { validateListener, validateSafe, validateServer, validateUser } from '../../write/validate/index.js';
import { ListenerRef, SafeRef, ServerRef, UserRef } from '../refs.js';
import { crudMutations } from './crud.js';
import {
  ListenerInput,
  ListenerPatch,
  SafeInput,
  SafePatch,
  ServerInput,
  ServerPatch,
  UserInput,
  UserPatch,
} from './inputs.js';

crudMutations({
  typename: 'Server',
  noun: 'server',
  path: '/api/system/servers',
  ref: ServerRef,
  input: ServerInput,
  patch: ServerPatch,
  validate: validateServer,
  create: createServer,
  replace: replaceServer,
  update: updateServer,
  remove: deleteServer,
  prime: (ctx, server) => ctx.loaders.servers.byId.prime(server.id, server),
});

crudMutations({
  typename: 'Safe',
  noun: 'safe',
  path: '/api/system/safes',
  ref: SafeRef,
  input: SafeInput,
  patch: SafePatch,
  validate: validateSafe,
  create: createSafe,
  replace: replaceSafe,
  update: updateSafe,
  remove: deleteSafe,
  prime: (ctx, safe) => ctx.loaders.safes.byId.prime(safe.id, safe),
});

crudMutations({
  typename: 'Listener',
  noun: 'listener',
  path: '/api/system/listeners',
  ref: ListenerRef,
  input: ListenerInput,
  patch: ListenerPatch,
  validate: validateListener,
  create: createListener,
  replace: replaceListener,
  update: updateListener,
  remove: deleteListener,
  prime: (ctx, listener) => ctx.loaders.listeners.byId.prime(listener.id, listener),
});

crudMutations({
  typename: 'User',
  noun: 'user',
  path: '/api/system/users',
  ref: UserRef,
  input: UserInput,
  patch: UserPatch,
  validate: validateUser,
  create: createUser,
  replace: replaceUser,
  update: updateUser,
  remove: deleteUser,
  prime: (ctx, user) => ctx.loaders.users.byId.prime(user.id, user),
});
