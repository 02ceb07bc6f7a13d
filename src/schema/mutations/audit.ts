/**
 * Writes of audit entries (docs/upstreams.md §2): create, replace whole (PUT), delete. Declarations only: what
 * each mutation does is in src/write/perform.ts. The device and enable passwords given here go to the upstream
 * once and are never returned (the read path drops them).
 */
import { AuditEntry } from '../../resources/index.js';
import { createAudit, deleteAudit, replaceAudit } from '../../write/perform.js';
import { builder } from '../builder.js';
import { inputRef } from '../derive.js';
import { AuditEntryRef } from '../refs.js';
import { errorsOption } from './errors.js';

const PATH = '/ux/nccm/jobs-account-audit/';

builder.mutationFields((t) => ({
  createAuditEntry: t.field({
    type: AuditEntryRef,
    description: `Records an audit entry: \`POST ${PATH}\`. \`organization\` must be your key’s organisation.`,
    errors: errorsOption('createAuditEntry', 'auditEntry'),
    args: { input: t.arg({ type: inputRef(AuditEntry), required: true, description: 'The entry.' }) },
    resolve: (_root, args, ctx) => createAudit(ctx, args.input),
  }),
  replaceAuditEntry: t.field({
    type: AuditEntryRef,
    description: `Replaces an entry’s writable fields: \`PUT ${PATH}{id}/\`; omitted fields become unset.`,
    errors: errorsOption('replaceAuditEntry', 'auditEntry'),
    args: {
      id: t.arg.id({ required: true, description: 'The entry (global ID or 24-hex Audit id).' }),
      input: t.arg({ type: inputRef(AuditEntry), required: true, description: 'The whole entry.' }),
    },
    resolve: (_root, args, ctx) => replaceAudit(ctx, args.id, args.input),
  }),
  deleteAuditEntry: t.field({
    type: 'ID',
    description: `Deletes an entry: \`DELETE ${PATH}{id}/\`. Returns its global ID.`,
    errors: errorsOption('deleteAuditEntry', 'deletedId'),
    args: { id: t.arg.id({ required: true, description: 'The entry (global ID or 24-hex Audit id).' }) },
    resolve: (_root, args, ctx) => deleteAudit(ctx, args.id),
  }),
}));
