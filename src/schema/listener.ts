/**
 * `Listener`: an entry point through which safes expose accounts (PAM API §1.7).
 */
import type { GatewayContext } from '../context.js';
import { builder } from './builder.js';
import { ListenerConnection } from './connections.js';
import { ListenerModeEnum, ProtocolEnum } from './enums.js';
import { ListenerRef, SafeRef } from './refs.js';
import { pamRootFields } from './root-fields.js';
import { stubbedType } from './stubs.js';

const { via } = stubbedType((ctx: GatewayContext) => ctx.loaders.listeners.byId, 'listener');

builder.node(ListenerRef, {
  description: 'An entry point (address, port, mode) through which safes expose accounts to users.',
  id: { resolve: (listener) => listener.id, parse: (id) => Number(id) },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.listeners.byId.load(id)),
  fields: (t) => ({
    pamId: t.exposeID('id', { description: 'The listener’s id in the PAM API.' }),
    name: t.exposeString('name', { description: 'Unique listener name.' }),
    protocol: t.field({
      type: ProtocolEnum,
      description: 'Protocol it accepts.',
      resolve: via((l) => l.protocol),
    }),
    mode: t.field({
      type: ListenerModeEnum,
      description: 'How it accepts connections.',
      resolve: via((l) => l.mode),
    }),
    listenIp: t.field({
      type: 'IP',
      nullable: true,
      description: 'Address it listens on.',
      resolve: via((l) => l.listenIp),
    }),
    listenPort: t.field({
      type: 'Port',
      nullable: true,
      description: 'Port it listens on; null in gateway and transparent modes.',
      resolve: via((l) => l.listenPort),
    }),
    externalAddress: t.string({
      nullable: true,
      description: 'Address users connect to, when it differs.',
      resolve: via((l) => l.externalAddress),
    }),
    externalPort: t.field({
      type: 'Port',
      nullable: true,
      description: 'Port users connect to, when it differs.',
      resolve: via((l) => l.externalPort),
    }),
    blocked: t.boolean({ description: 'Whether the listener is blocked.', resolve: via((l) => l.blocked) }),
    reason: t.string({
      nullable: true,
      description: 'Why the listener is blocked.',
      resolve: via((l) => l.reason),
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was created.',
      resolve: via((l) => l.createdAt),
    }),
    modifiedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last changed.',
      resolve: via((l) => l.modifiedAt),
    }),
    safes: t.field({
      type: [SafeRef],
      nullable: true,
      description: 'Safes that expose at least one account through this listener, ascending by id.',
      resolve: async (listener, _args, ctx) => {
        const index = await ctx.loaders.assignments.index();
        return (index.safesByListener.get(listener.id) ?? []).flatMap((id) => index.safes.get(id) ?? []);
      },
    }),
  }),
});

pamRootFields({
  typename: 'Listener',
  noun: 'listener',
  ref: ListenerRef,
  connection: ListenerConnection,
  collection: (ctx) => ctx.loaders.listeners,
});
