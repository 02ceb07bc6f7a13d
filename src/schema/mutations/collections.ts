/**
 * The create, update, replace and delete mutations of servers, safes, listeners and users (docs/upstreams.md
 * §1.5–§1.8). Declarations only: what each one does is in src/write/perform.ts.
 */
import {
  createPam,
  deletePam,
  LISTENERS,
  replacePam,
  SAFES,
  SERVERS,
  USERS,
  updatePam,
} from '../../write/perform.js';
import { builder } from '../builder.js';
import { ListenerRef, SafeRef, ServerRef, UserRef } from '../refs.js';
import { createOptions, deleteOptions, replaceOptions, updateOptions } from './fields.js';

builder.mutationFields((t) => ({
  createServer: t.field({
    type: ServerRef,
    ...createOptions(t, SERVERS.client),
    resolve: (_root, args, ctx) => createPam(ctx, SERVERS, args.input),
  }),
  updateServer: t.field({
    type: ServerRef,
    ...updateOptions(t, SERVERS.client),
    resolve: (_root, args, ctx) => updatePam(ctx, SERVERS, args.id, args.input),
  }),
  replaceServer: t.field({
    type: ServerRef,
    ...replaceOptions(t, SERVERS.client),
    resolve: (_root, args, ctx) => replacePam(ctx, SERVERS, args.id, args.input),
  }),
  deleteServer: t.field({
    type: 'ID',
    ...deleteOptions(t, SERVERS.client),
    resolve: (_root, args, ctx) => deletePam(ctx, SERVERS, args.id),
  }),

  createSafe: t.field({
    type: SafeRef,
    ...createOptions(t, SAFES.client),
    resolve: (_root, args, ctx) => createPam(ctx, SAFES, args.input),
  }),
  updateSafe: t.field({
    type: SafeRef,
    ...updateOptions(t, SAFES.client),
    resolve: (_root, args, ctx) => updatePam(ctx, SAFES, args.id, args.input),
  }),
  replaceSafe: t.field({
    type: SafeRef,
    ...replaceOptions(t, SAFES.client),
    resolve: (_root, args, ctx) => replacePam(ctx, SAFES, args.id, args.input),
  }),
  deleteSafe: t.field({
    type: 'ID',
    ...deleteOptions(t, SAFES.client),
    resolve: (_root, args, ctx) => deletePam(ctx, SAFES, args.id),
  }),

  createListener: t.field({
    type: ListenerRef,
    ...createOptions(t, LISTENERS.client),
    resolve: (_root, args, ctx) => createPam(ctx, LISTENERS, args.input),
  }),
  updateListener: t.field({
    type: ListenerRef,
    ...updateOptions(t, LISTENERS.client),
    resolve: (_root, args, ctx) => updatePam(ctx, LISTENERS, args.id, args.input),
  }),
  replaceListener: t.field({
    type: ListenerRef,
    ...replaceOptions(t, LISTENERS.client),
    resolve: (_root, args, ctx) => replacePam(ctx, LISTENERS, args.id, args.input),
  }),
  deleteListener: t.field({
    type: 'ID',
    ...deleteOptions(t, LISTENERS.client),
    resolve: (_root, args, ctx) => deletePam(ctx, LISTENERS, args.id),
  }),

  createUser: t.field({
    type: UserRef,
    ...createOptions(t, USERS.client),
    resolve: (_root, args, ctx) => createPam(ctx, USERS, args.input),
  }),
  updateUser: t.field({
    type: UserRef,
    ...updateOptions(t, USERS.client),
    resolve: (_root, args, ctx) => updatePam(ctx, USERS, args.id, args.input),
  }),
  replaceUser: t.field({
    type: UserRef,
    ...replaceOptions(t, USERS.client),
    resolve: (_root, args, ctx) => replacePam(ctx, USERS, args.id, args.input),
  }),
  deleteUser: t.field({
    type: 'ID',
    ...deleteOptions(t, USERS.client),
    resolve: (_root, args, ctx) => deletePam(ctx, USERS, args.id),
  }),
}));
