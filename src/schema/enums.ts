/**
 * Enums of the schema. The upstream enums come from the resource descriptions (see derive.ts); this file adds
 * how audit entries can be ordered. Audit fields are vendor free text and stay strings.
 */
import {
  AccountType,
  CredentialMethod,
  DumpMode,
  ListenerMode,
  NoteAccess,
  PasswordChangerType,
  Protocol,
  UserRole,
} from '../resources/index.js';
import { AUDIT_SORT_FIELDS, type AuditSortField } from '../upstream/audit.js';
import { builder } from './builder.js';
import { enumRef } from './derive.js';

// The upstream enums, created first and in this order only so that the printed schema lists them stably.
for (const spec of [
  Protocol,
  AccountType,
  DumpMode,
  CredentialMethod,
  PasswordChangerType,
  ListenerMode,
  UserRole,
  NoteAccess,
])
  enumRef(spec);

const SORT_FIELD_NAMES: Record<AuditSortField, string> = {
  creationtime: 'CREATED_AT',
  last_update_time: 'LAST_UPDATE_TIME',
  id: 'AUDIT_ID',
  agent_id: 'AGENT_ID',
  connection_status: 'CONNECTION_STATUS',
  failure_message: 'FAILURE_MESSAGE',
  organization: 'ORGANIZATION',
  job_id: 'JOB_ID',
  ci_id: 'CI_ID',
  job_iteration_id: 'JOB_ITERATION_ID',
  ipaddress: 'IP_ADDRESS',
  device_account: 'DEVICE_ACCOUNT',
  connection_protocol: 'CONNECTION_PROTOCOL',
  error: 'ERROR',
  task_owner: 'TASK_OWNER',
  client_ip: 'CLIENT_IP',
  job_type: 'JOB_TYPE',
  job_name: 'JOB_NAME',
  process_name: 'PROCESS_NAME',
  connection_for: 'CONNECTION_FOR',
  config_type: 'CONFIG_TYPE',
  uofw: 'UOFW',
};

export const AuditSortFieldEnum = builder.enumType('AuditEntrySortField', {
  description: 'Fields audit entries can be ordered by. Password fields are deliberately not sortable.',
  values: Object.fromEntries(
    AUDIT_SORT_FIELDS.map((field) => [
      SORT_FIELD_NAMES[field],
      { value: field, description: `Upstream \`${field}\`.` },
    ]),
  ) as Record<string, { value: AuditSortField; description: string }>,
});

export const SortDirectionEnum = builder.enumType('SortDirection', {
  description: 'Sort order.',
  values: {
    ASC: { value: 'asc', description: 'Ascending; ties broken by ascending id.' },
    DESC: { value: 'desc', description: 'Descending; ties broken by descending id.' },
  } as const,
});
