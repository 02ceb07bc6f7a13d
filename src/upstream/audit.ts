/**
 * Typed client of the Audit API (docs/upstreams.md §2). The upstream returns `dpassword` and `denable_password`
 * in clear text; `decodeAuditEntry` keeps only whether they were set and drops the values on the spot,
 * so no later layer (cache, resolver, log) ever holds them.
 */
import { Decoder, type JsonObject } from './decode.js';
import type { ScopedUpstream } from './scope.js';

export interface AuditEntry {
  id: string;
  createdAt: string;
  agentId: string | null;
  connectionStatus: string | null;
  failureMessage: string | null;
  organization: string;
  jobId: string | null;
  ciId: string | null;
  jobIterationId: string | null;
  ipAddress: string | null;
  deviceAccount: string | null;
  hasDevicePassword: boolean;
  hasEnablePassword: boolean;
  connectionProtocol: string | null;
  error: string | null;
  taskOwner: string | null;
  clientIp: string | null;
  jobType: string | null;
  jobName: string | null;
  processName: string | null;
  connectionFor: string | null;
  lastUpdateTime: string | null;
  configType: string | null;
  uofw: string | null;
}

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

export interface AuditPage {
  page: number;
  itemsPerPage: number;
  sort: AuditSortField;
  reverse: boolean;
}

// Annotated so that TypeScript treats `fail` (returns never) as ending control flow at call sites.
const d: Decoder = new Decoder('audit');

/** Audit fields are free text and `""` when unset; the gateway says `null` for "not set". */
function text(obj: JsonObject, key: string): string | null {
  const value = d.optionalString(obj, key);
  return value === null || value === '' ? null : value;
}

export function decodeAuditEntry(value: unknown): AuditEntry {
  const e = d.object(value, 'audit entry');
  return {
    id: d.string(e, 'id'),
    createdAt: d.string(e, 'creationtime'),
    agentId: text(e, 'agent_id'),
    connectionStatus: text(e, 'connection_status'),
    failureMessage: text(e, 'failure_message'),
    organization: d.string(e, 'organization'),
    jobId: text(e, 'job_id'),
    ciId: text(e, 'ci_id'),
    jobIterationId: text(e, 'job_iteration_id'),
    ipAddress: text(e, 'ipaddress'),
    deviceAccount: text(e, 'device_account'),
    hasDevicePassword: typeof e.dpassword === 'string' && e.dpassword !== '',
    hasEnablePassword: typeof e.denable_password === 'string' && e.denable_password !== '',
    connectionProtocol: text(e, 'connection_protocol'),
    error: text(e, 'error'),
    taskOwner: text(e, 'task_owner'),
    clientIp: text(e, 'client_ip'),
    jobType: text(e, 'job_type'),
    jobName: text(e, 'job_name'),
    processName: text(e, 'process_name'),
    connectionFor: text(e, 'connection_for'),
    lastUpdateTime: text(e, 'last_update_time'),
    configType: text(e, 'config_type'),
    uofw: text(e, 'uofw'),
  };
}

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
