/**
 * `AuditEntry`: one record of the Audit API's "Jobs Account Audit" log (§2). Audit fields are vendor free
 * text, `""` upstream when unset: exposed as nullable strings (`""` → null), never as enums a vendor value
 * could break. The device and enable passwords were dropped at decoding; only whether they were set remains.
 */
import type { AuditEntry } from '../upstream/audit.js';
import { builder } from './builder.js';
import { pageArgs, toConnection, windowOf } from './connection.js';
import { AuditEntryConnection } from './connections.js';
import { AuditSortFieldEnum, SortDirectionEnum } from './enums.js';
import { auditIdArg } from './ids.js';
import { AccountRef, AuditEntryRef, ServerRef } from './refs.js';

type TextField = {
  [K in keyof AuditEntry]: AuditEntry[K] extends string | null ? K : never;
}[keyof AuditEntry];

/** Free-text fields exposed as they are, with what each means. */
const TEXT_FIELDS: Array<[TextField, string]> = [
  ['agentId', 'Id of the agent that ran the job.'],
  ['connectionStatus', 'Outcome of the connection as the vendor reports it, e.g. `success`, `failed`.'],
  ['failureMessage', 'Why the connection failed, as reported.'],
  ['jobId', 'Id of the job.'],
  ['ciId', 'Id of the configuration item (device) in the CMDB.'],
  ['jobIterationId', 'Id of the job’s run.'],
  ['ipAddress', 'IP address of the target device, as recorded.'],
  ['deviceAccount', 'Login used on the device; may be `DOMAIN\\login` or `login@domain`.'],
  ['connectionProtocol', 'Protocol used, as recorded, e.g. `ssh`, `telnet`.'],
  ['error', 'Error text of the job.'],
  ['taskOwner', 'Who owns the task.'],
  ['clientIp', 'Address the job ran from.'],
  ['jobType', 'Kind of job, e.g. `Config Backup`.'],
  ['jobName', 'Name of the job.'],
  ['processName', 'Process within the job.'],
  ['connectionFor', 'What the connection was for.'],
  ['configType', 'Configuration handled, e.g. `running`, `startup`.'],
  ['uofw', 'Unit of work.'],
];

builder.node(AuditEntryRef, {
  description: 'Which device account a network job used, against which device, and whether it connected.',
  id: { resolve: (entry) => entry.id },
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.auditEntries.byId.load(id)),
  fields: (t) => ({
    auditId: t.exposeID('id', { description: 'The entry’s id in the Audit API (24 hex characters).' }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the entry was recorded (upstream `creationtime`).',
      resolve: (entry) => entry.createdAt,
    }),
    lastUpdateTime: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the entry last changed; null when not set or not a valid timestamp.',
      resolve: (entry) =>
        entry.lastUpdateTime && !Number.isNaN(Date.parse(entry.lastUpdateTime)) ? entry.lastUpdateTime : null,
    }),
    organization: t.exposeString('organization', {
      description: 'Organisation the entry belongs to; a caller only ever sees its own key’s organisation.',
    }),
    ...Object.fromEntries(
      TEXT_FIELDS.map(([field, description]) => [
        field,
        t.exposeString(field, { nullable: true, description: `${description} Null when not set.` }),
      ]),
    ),
    hasDevicePassword: t.exposeBoolean('hasDevicePassword', {
      description: 'Whether a device password was recorded. The password itself is never exposed.',
    }),
    hasEnablePassword: t.exposeBoolean('hasEnablePassword', {
      description: 'Whether an enable password was recorded. The password itself is never exposed.',
    }),
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
