/**
 * `AuditEntry`: one record of the Audit API's "Jobs Account Audit" log (§2). Audit fields are vendor free
 * text, `""` upstream when unset: exposed as nullable strings (`""` → null), never as enums a vendor value
 * could break. The device and enable passwords were dropped at decoding; only whether they were set remains.
 */
import { AuditEntry as AuditEntryResource } from '../resources/index.js';
import type { AuditDefaults } from '../upstream/audit.js';
import { AuditEntryList, auditCandidates, resolveAuditList } from './audit-lists.js';
import { builder } from './builder.js';
import { AuditEntryConnection } from './connections.js';
import { describedFields, direct } from './derive.js';
import { AuditSortFieldEnum } from './enums.js';
import { auditIdArg } from './ids.js';
import { listArgs } from './lists.js';
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
    description:
      'Audit entries of the caller’s organisation; newest first unless `orderBy` says otherwise. With views off, a ' +
      'filter, an order or a count scans the log (at most AUDIT_SCAN_MAX_ENTRIES entries, within the request ' +
      'budget): a scan cut short answers `truncated: true` and a null `totalCount`.',
    args: listArgs(t.arg, AuditEntryList, 'entries', 'CREATED_AT, DESC'),
    resolve: (_root, args, ctx, info) =>
      resolveAuditList(
        args,
        ctx,
        {
          candidates: (match, need) => auditCandidates(ctx.loaders.auditLog.all(match, need)),
          snapshot: () => ctx.loaders.auditLog.snapshot(),
          window: async (offset, count) => ({
            entries: await ctx.loaders.auditEntries.window(
              { sort: 'creationtime', reverse: true },
              offset,
              count,
            ),
            truncated: false,
          }),
        },
        info,
      ),
  }),
}));

const AuditEntryDefaultsRef = builder.objectRef<AuditDefaults>('AuditEntryDefaults');

builder.objectType(AuditEntryDefaultsRef, {
  description:
    'What a new audit entry gets by default, for forms that create entries: each writable field’s default (null ' +
    'when it has none) and the fields lists can be ordered by. Secret defaults are reported only as set or not.',
  fields: (t) => ({
    ...Object.fromEntries(
      Object.entries(AuditEntryResource.fields)
        .filter(([, f]) => f.access !== 'read' && !f.secret && f.kind === 'text')
        .map(([key, f]) => [
          key,
          t.string({
            nullable: true,
            description: `Default of \`${key}\`. ${f.description}`,
            resolve: (defaults) => defaults.values[key] ?? null,
          }),
        ]),
    ),
    hasDevicePassword: t.boolean({
      description: 'Whether new entries get a default device password. The password itself is never exposed.',
      resolve: (defaults) => defaults.hasDevicePassword,
    }),
    hasEnablePassword: t.boolean({
      description: 'Whether new entries get a default enable password. The password itself is never exposed.',
      resolve: (defaults) => defaults.hasEnablePassword,
    }),
    sortFields: t.field({
      type: [AuditSortFieldEnum],
      description: 'The fields audit entries can be ordered by, as the Audit API lists them.',
      resolve: (defaults) => defaults.sortFields,
    }),
  }),
});

builder.queryFields((t) => ({
  auditEntryDefaults: t.field({
    type: AuditEntryDefaultsRef,
    nullable: true,
    description:
      'What a new audit entry of the caller’s organisation gets by default (Audit API `options/`); null when the ' +
      'Audit API fails.',
    resolve: (_root, _args, ctx) => ctx.loaders.auditEntries.defaults(),
  }),
}));
