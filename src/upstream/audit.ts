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

/**
 * `GET /ux/nccm/jobs-account-audit/options/` (docs/upstreams.md §2.2): what a new entry gets by default. Only the
 * writable fields the description exposes are kept; a secret's default (`dpassword`, `denable_password`) is read as
 * present or absent and its value dropped here, like an entry's.
 */
export interface AuditDefaults {
  /** Description key of each writable, non-secret field → its default; null when it has none (`""` upstream). */
  values: Record<string, string | null>;
  hasDevicePassword: boolean;
  hasEnablePassword: boolean;
  /** The fields `sort` accepts, as the upstream lists them; names this gateway does not know are left out. */
  sortFields: AuditSortField[];
}

const SORTABLE: ReadonlySet<string> = new Set(AUDIT_SORT_FIELDS);

export async function getAuditDefaults(audit: ScopedUpstream): Promise<AuditDefaults> {
  const body = d.object(await audit.get(`${BASE}options/`), 'audit options');
  const text = (key: string) => {
    const value = body[key];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const values: Record<string, string | null> = {};
  for (const [key, field] of Object.entries(AuditEntryResource.fields)) {
    if (field.access === 'read' || field.secret || field.kind !== 'text') continue;
    values[key] = text(field.upstream);
  }
  const sortFields = Array.isArray(body.sort_fields)
    ? body.sort_fields.filter((f): f is AuditSortField => typeof f === 'string' && SORTABLE.has(f))
    : [];
  return {
    values,
    hasDevicePassword: text('dpassword') !== null,
    hasEnablePassword: text('denable_password') !== null,
    sortFields,
  };
}
