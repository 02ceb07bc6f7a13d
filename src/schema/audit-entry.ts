/**
 * `AuditEntry`: one record of the Audit API's "Jobs Account Audit" log (§2). Audit fields are vendor free
 * text, `""` upstream when unset: exposed as nullable strings (`""` → null), never as enums a vendor value
 * could break. The device and enable passwords were dropped at decoding; only whether they were set remains.
 */
import { AuditEntry as AuditEntryResource } from '../resources/index.js';
import { builder } from './builder.js';
import { AuditEntryConnection } from './connections.js';
import { describedFields, direct } from './derive.js';
import { AuditSortFieldEnum, SortDirectionEnum } from './enums.js';
import { auditIdArg } from './ids.js';
import { pageArgs, toConnection, windowOf } from './paging.js';
import { AccountRef, AuditEntryRef, ServerRef } from './refs.js';

builder.node(AuditEntryRef, {
  description: AuditEntryResource.description,
  id: { resolve: (entry) => entry.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.auditEntries.byId.load(id)),
  fields: (t) => ({
    ...describedFields(t, AuditEntryResource, direct),
    servers: t.field({
      type: [ServerRef],
      nullable: true,
      description:
        'PAM servers this entry’s device matches (docs/upstreams.md §3: same address, or inside a subnet; narrowed by ' +
        'protocol), ascending by id. From the PAM API: null when it fails.',
      resolve: (entry, _args, ctx) => ctx.loaders.matching.serversFor(entry),
    }),
    accounts: t.field({
      type: [AccountRef],
      nullable: true,
      description:
        'PAM accounts this entry’s job logged in with (same login, domain forms honoured, on a matching server), ' +
        'ascending by id. From the PAM API: null when it fails.',
      resolve: (entry, _args, ctx) => ctx.loaders.matching.accountsFor(entry),
    }),
  }),
});

const AuditOrderInput = builder.inputType('AuditEntryOrder', {
  description: 'How to order audit entries.',
  fields: (t) => ({
    field: t.field({ type: AuditSortFieldEnum, required: true, description: 'Field to order by.' }),
    direction: t.field({ type: SortDirectionEnum, required: true, description: 'Ascending or descending.' }),
  }),
});

builder.queryFields((t) => ({
  auditEntry: t.field({
    type: AuditEntryRef,
    nullable: true,
    description:
      'One audit entry by global ID or Audit id; null when it does not exist or is another organisation’s.',
    args: { id: t.arg.id({ required: true, description: 'Global ID, or the 24-hex Audit id.' }) },
    resolve: (_root, args, ctx) => ctx.loaders.auditEntries.byId.load(auditIdArg(String(args.id))),
  }),
  auditEntries: t.field({
    type: AuditEntryConnection,
    nullable: true,
    description: 'Audit entries of the caller’s organisation; newest first unless `orderBy` says otherwise.',
    args: {
      ...pageArgs(t.arg, 'entries'),
      orderBy: t.arg({
        type: AuditOrderInput,
        description:
          'Order of the entries (default: CREATED_AT, DESC). Ties are broken by id in the same direction.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const window = windowOf(args, ctx.limits);
      const order = {
        sort: args.orderBy?.field ?? 'creationtime',
        reverse: (args.orderBy?.direction ?? 'desc') === 'desc',
      };
      const items = await ctx.loaders.auditEntries.window(order, window.offset, window.first + 1);
      return { ...toConnection(items, window), truncated: false };
    },
  }),
}));
