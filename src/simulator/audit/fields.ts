/**
 * The AuditEntry shape of docs/upstreams.md §2.3, as data: the field order (which is also the JSON key order
 * of every response, as in the vendor's examples), which fields a client may write, and their limits.
 * Every field is a string, so an entry is a plain record over the field names.
 */

/** All AuditEntry fields, in the vendor document's order. */
export const AUDIT_FIELDS = [
  'id',
  'creationtime',
  'agent_id',
  'connection_status',
  'failure_message',
  'organization',
  'job_id',
  'ci_id',
  'job_iteration_id',
  'ipaddress',
  'device_account',
  'dpassword',
  'denable_password',
  'connection_protocol',
  'error',
  'task_owner',
  'client_ip',
  'job_type',
  'job_name',
  'process_name',
  'connection_for',
  'last_update_time',
  'config_type',
  'uofw',
] as const;

export type AuditField = (typeof AUDIT_FIELDS)[number];

/** One stored audit entry; never-set optional fields hold `""`. */
export type AuditEntry = Record<AuditField, string>;

/**
 * Optional plain-string fields with their maximum length in characters (code points), or null where the
 * vendor document states none. For `job_id`, `ci_id` and `job_iteration_id` we impose no limit (choice):
 * the seed gives none, and the HTTP shell's 1 MiB body cap already bounds them.
 */
export const OPTIONAL_STRING_MAX = {
  job_id: null,
  ci_id: null,
  job_iteration_id: null,
  ipaddress: 225,
  device_account: 225,
  dpassword: 225,
  denable_password: 225,
  connection_protocol: 25,
  error: 2000,
  task_owner: 225,
  client_ip: 225,
  job_type: 225,
  job_name: 225,
  process_name: 225,
  connection_for: 225,
  config_type: 225,
  uofw: 225,
} as const satisfies Partial<Record<AuditField, number | null>>;

export type OptionalStringField = keyof typeof OPTIONAL_STRING_MAX;

export const OPTIONAL_STRING_FIELDS = Object.keys(OPTIONAL_STRING_MAX) as OptionalStringField[];

export const ORGANIZATION_MAX = 25;

/**
 * A fresh entry with every field `""`, keys already in response order. Written as a literal (not a loop
 * over AUDIT_FIELDS) so every entry shares one object shape, which keeps generating 20,000 of them fast.
 */
export function blankEntry(): AuditEntry {
  return {
    id: '',
    creationtime: '',
    agent_id: '',
    connection_status: '',
    failure_message: '',
    organization: '',
    job_id: '',
    ci_id: '',
    job_iteration_id: '',
    ipaddress: '',
    device_account: '',
    dpassword: '',
    denable_password: '',
    connection_protocol: '',
    error: '',
    task_owner: '',
    client_ip: '',
    job_type: '',
    job_name: '',
    process_name: '',
    connection_for: '',
    last_update_time: '',
    config_type: '',
    uofw: '',
  };
}

const FIELD_SET: ReadonlySet<string> = new Set(AUDIT_FIELDS);

export function isAuditField(name: string): name is AuditField {
  return FIELD_SET.has(name);
}
