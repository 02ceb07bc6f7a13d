/**
 * `AuditEntry`: one record of the Audit API's "Jobs Account Audit" log (§2). Free-text fields are
 * nullable strings (`""` upstream means "not set"); the device passwords are reduced to two booleans.
 */
import type { AuditEntry } from '../upstream/audit.js';
import { builder } from './builder.js';
import { toConnection, windowOf } from './connection.js';

export const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry');

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
    organization: t.exposeString('organization', {
      description: 'Organisation the entry belongs to; a caller only ever sees its own key’s organisation.',
    }),
    jobName: t.exposeString('jobName', {
      nullable: true,
      description: 'Name of the job; null when not set.',
    }),
    ipAddress: t.exposeString('ipAddress', {
      nullable: true,
      description: 'IP address of the target device, as recorded; null when not set.',
    }),
    deviceAccount: t.exposeString('deviceAccount', {
      nullable: true,
      description: 'Login used on the device (may be `DOMAIN\\login` or `login@domain`); null when not set.',
    }),
    connectionStatus: t.exposeString('connectionStatus', {
      nullable: true,
      description: 'Outcome of the connection as the vendor reports it, e.g. `success`, `failed`.',
    }),
    hasDevicePassword: t.exposeBoolean('hasDevicePassword', {
      description: 'Whether a device password was recorded. The password itself is never exposed.',
    }),
    hasEnablePassword: t.exposeBoolean('hasEnablePassword', {
      description: 'Whether an enable password was recorded. The password itself is never exposed.',
    }),
  }),
});

const AuditEntryConnection = builder.connectionObject({
  type: AuditEntryRef,
  name: 'AuditEntryConnection',
  description: 'A page of audit entries.',
});

builder.queryField('auditEntries', (t) =>
  t.field({
    type: AuditEntryConnection,
    // Nullable: when this upstream fails, the other upstream's fields of the same query still resolve.
    nullable: true,
    description: 'Audit entries of the caller’s organisation, newest first.',
    args: {
      first: t.arg.int({
        description:
          'How many entries to return (default 20 and at most 100 unless the deployment configures otherwise).',
      }),
      after: t.arg.string({ description: 'Cursor of the edge after which to start.' }),
    },
    resolve: async (_root, args, ctx) => {
      const window = windowOf(args, ctx.limits);
      const order = { sort: 'creationtime', reverse: true } as const;
      const items = await ctx.loaders.auditEntries.window(order, window.offset, window.first + 1);
      return toConnection(items, window);
    },
  }),
);
