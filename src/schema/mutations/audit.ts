/**
 * Writes of audit entries (docs/upstreams.md §2): create, replace whole (PUT), delete. The device and enable
 * passwords given here go to the upstream once and are never returned (the read path drops them).
 */
import { createAuditEntry, deleteAuditEntry, replaceAuditEntry } from '../../upstream/audit-writes.js';
import type { AuditEntryWrite } from '../../write/types.js';
import { validateAuditEntry } from '../../write/validate/index.js';
import { builder } from '../builder.js';
import { encodeGlobalId } from '../global-id.js';
import { AuditEntryRef } from '../refs.js';
import { errorsOption, write } from './crud.js';
import { AuditEntryInput } from './inputs.js';
import { auditIdAt, settle } from './outcome.js';
import { given } from './to-write.js';

const PATH = '/ux/nccm/jobs-account-audit/';

builder.mutationFields((t) => ({
  createAuditEntry: t.field({
    type: AuditEntryRef,
    description: `Records an audit entry: \`POST ${PATH}\`. \`organization\` must be your key’s organisation.`,
    errors: errorsOption('createAuditEntry', 'auditEntry'),
    args: { input: t.arg({ type: AuditEntryInput, required: true, description: 'The entry.' }) },
    resolve: (_root, args, ctx) => {
      const w = given<AuditEntryWrite>(args.input);
      return write(
        ctx,
        w,
        (x) => validateAuditEntry(x, 'create'),
        () => createAuditEntry(ctx.audit, w),
        'audit entry',
        (e) => ctx.loaders.auditEntries.byId.prime(e.id, e),
      );
    },
  }),
  replaceAuditEntry: t.field({
    type: AuditEntryRef,
    description: `Replaces an entry’s writable fields: \`PUT ${PATH}{id}/\`; omitted fields become unset.`,
    errors: errorsOption('replaceAuditEntry', 'auditEntry'),
    args: {
      id: t.arg.id({ required: true, description: 'The entry (global ID or 24-hex Audit id).' }),
      input: t.arg({ type: AuditEntryInput, required: true, description: 'The whole entry.' }),
    },
    resolve: (_root, args, ctx) => {
      const id = auditIdAt(String(args.id), 'id');
      const w = given<AuditEntryWrite>(args.input);
      return write(
        ctx,
        w,
        (x) => validateAuditEntry(x, 'replace'),
        () => replaceAuditEntry(ctx.audit, id, w),
        'audit entry',
        (e) => ctx.loaders.auditEntries.byId.prime(e.id, e),
      );
    },
  }),
  deleteAuditEntry: t.field({
    type: 'ID',
    description: `Deletes an entry: \`DELETE ${PATH}{id}/\`. Returns its global ID.`,
    errors: errorsOption('deleteAuditEntry', 'deletedId'),
    args: { id: t.arg.id({ required: true, description: 'The entry (global ID or 24-hex Audit id).' }) },
    resolve: async (_root, args, ctx) => {
      const id = auditIdAt(String(args.id), 'id');
      settle(await deleteAuditEntry(ctx.audit, id), 'audit entry');
      ctx.renewLoaders();
      return encodeGlobalId('AuditEntry', id);
    },
  }),
}));
