/**
 * Audit write calls (docs/upstreams.md §2.2): create (POST 201), full replace (PUT 200) and delete (DELETE 204) of
 * an audit entry. The answers carry `dpassword`/`denable_password` in clear; `decodeAuditEntry` drops them.
 */
import { AuditEntry as AuditEntryResource } from '../resources/index.js';
import type { AuditEntryWrite, InputIssue, WriteOutcome } from '../write/types.js';
import { type AuditEntry, decodeAuditEntry } from './audit.js';
import { buildBody, secretsOf } from './body.js';
import type { ScopedUpstream } from './scope.js';
import {
  decodeNothing,
  notFoundWithoutRequest,
  readFieldMessages,
  sendWrite,
  toIssues,
  type UpstreamIssue,
} from './write-outcome.js';

const BASE = '/ux/nccm/jobs-account-audit/';

/** Ids are Mongo ObjectIds; anything else names nothing and must not shape a path. */
const isAuditId = (id: string): boolean => /^[0-9a-f]{24}$/.test(id);

/**
 * Reads `{"error", "fields": {...}}` (docs/upstreams.md §2.1): one issue per field message. Without field messages
 * the `error` concerns the whole body, so it goes to the root; any other shape is unreadable (null).
 */
function readAuditErrors(body: unknown): UpstreamIssue[] | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { error, fields } = body as { error?: unknown; fields?: unknown };
  const fieldIssues = fields === undefined ? [] : readFieldMessages(fields);
  if (fieldIssues === null || fieldIssues.length > 0) return fieldIssues;
  // `non_field_errors` translates to the root itself: the message is about the body as a whole.
  return typeof error === 'string' ? [{ path: 'non_field_errors', message: error }] : null;
}

function auditIssues(secrets: readonly string[]) {
  return (body: unknown): InputIssue[] =>
    toIssues(readAuditErrors(body), { resource: AuditEntryResource, root: 'input', secrets });
}

function bodyWrite(audit: ScopedUpstream, method: 'POST' | 'PUT', path: string, w: AuditEntryWrite) {
  return sendWrite(audit, {
    method,
    path,
    body: buildBody(AuditEntryResource, w),
    decode: decodeAuditEntry,
    issues: auditIssues(secretsOf(AuditEntryResource, w)),
  });
}

/** `POST /ux/nccm/jobs-account-audit/`; `organization` must be the key's own. */
export function createAuditEntry(
  audit: ScopedUpstream,
  w: AuditEntryWrite,
): Promise<WriteOutcome<AuditEntry>> {
  return bodyWrite(audit, 'POST', BASE, w);
}

/** `PUT /ux/nccm/jobs-account-audit/{id}/`: a full replace, omitted optional fields become `""`. */
export function replaceAuditEntry(
  audit: ScopedUpstream,
  id: string,
  w: AuditEntryWrite,
): Promise<WriteOutcome<AuditEntry>> {
  if (!isAuditId(id)) return notFoundWithoutRequest();
  return bodyWrite(audit, 'PUT', `${BASE}${id}/`, w);
}

/** `DELETE /ux/nccm/jobs-account-audit/{id}/`; an entry of another organisation is `not_found`. */
export function deleteAuditEntry(audit: ScopedUpstream, id: string): Promise<WriteOutcome<null>> {
  if (!isAuditId(id)) return notFoundWithoutRequest();
  return sendWrite(audit, {
    method: 'DELETE',
    path: `${BASE}${id}/`,
    decode: decodeNothing,
    // A delete has no input argument: whatever a 400 says is about the whole call.
    issues: (body) =>
      toIssues(readAuditErrors(body), { resource: AuditEntryResource, root: '', secrets: [] }),
  });
}
