/**
 * Typed client of the Audit API (docs/upstreams.md §2), reading entries by their description
 * (src/resources/audit-entry.ts). The upstream returns `dpassword` and `denable_password` in clear text; the
 * description keeps only whether they were set, so no later layer (cache, resolver, log) ever holds them.
 */
import { AuditEntry as AuditEntryResource, type ReadOf } from '../resources/index.js';
import { Decoder, decodeResource } from './decode.js';
import type { ScopedUpstream } from './scope.js';

export type AuditEntry = ReadOf<typeof AuditEntryResource>;

/** Upstream field names the list may be sorted by: every field but the two passwords. */
export const AUDIT_SORT_FIELDS = [
  'creationtime',
  'last_update_time',
  'id',
  'agent_id',
  'connection_status',
  'failure_message',
  'organization',
  'job_id',
  'ci_id',
  'job_iteration_id',
  'ipaddress',
  'device_account',
  'connection_protocol',
  'error',
  'task_owner',
  'client_ip',
  'job_type',
  'job_name',
  'process_name',
  'connection_for',
  'config_type',
  'uofw',
] as const;

export type AuditSortField = (typeof AUDIT_SORT_FIELDS)[number];

/** The Audit API accepts `items_per_page` up to 500 (docs/upstreams.md §2.2). */
export const AUDIT_MAX_PAGE_SIZE = 500;

export interface AuditPage {
  page: number;
  itemsPerPage: number;
  sort: AuditSortField;
  reverse: boolean;
}

// Annotated so that TypeScript treats `fail` (returns never) as ending control flow at call sites.
const d: Decoder = new Decoder('audit');

export const decodeAuditEntry = (value: unknown): AuditEntry => decodeResource(d, AuditEntryResource, value);

const BASE = '/ux/nccm/jobs-account-audit/';

/** `GET /ux/nccm/jobs-account-audit/?items_per_page&page&sort&reverse` */
export async function listAuditEntries(audit: ScopedUpstream, page: AuditPage): Promise<AuditEntry[]> {
  const body = await audit.get(BASE, {
    items_per_page: page.itemsPerPage,
    page: page.page,
    sort: page.sort,
    reverse: page.reverse,
  });
  return d.array(body, 'audit entry').map(decodeAuditEntry);
}

/** `GET /ux/nccm/jobs-account-audit/{id}/`; null when absent or in another organisation (404). */
export async function getAuditEntry(audit: ScopedUpstream, id: string): Promise<AuditEntry | null> {
  // Only well-formed ids reach the upstream: anything else cannot exist and must not shape the path.
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  const body = await audit.getOrNull(`${BASE}${id}/`);
  return body === null ? null : decodeAuditEntry(body);
}
