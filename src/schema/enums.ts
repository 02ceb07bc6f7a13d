/**
 * Enums where the contract fixes the values. Audit fields are vendor free text and stay strings.
 */
import { AUDIT_SORT_FIELDS, type AuditSortField } from '../upstream/audit.js';
import {
  ACCOUNT_TYPES,
  CREDENTIAL_METHODS,
  DUMP_MODES,
  LISTENER_MODES,
  NOTE_ACCESS,
  PASSWORD_CHANGER_TYPES,
  PROTOCOLS,
  ROLES,
} from '../upstream/pam/index.js';
import { builder } from './builder.js';

/** GraphQL enum values are the upstream values in UPPER_SNAKE case; the mapping is one to one. */
function upstreamEnum<T extends string>(
  name: string,
  description: string,
  values: readonly T[],
  describe?: Partial<Record<T, string>>,
) {
  return builder.enumType(name, {
    description,
    values: Object.fromEntries(
      values.map((value) => [
        value.toUpperCase().replace(/-/g, '_'),
        { value, description: describe?.[value] },
      ]),
    ) as Record<string, { value: T; description?: string }>,
  });
}

export const ProtocolEnum = upstreamEnum('Protocol', 'Protocol of a server or listener.', PROTOCOLS, {
  http: 'HTTP(S) web applications.',
  modbus: 'Modbus/TCP (industrial control).',
  mysql: 'MySQL database protocol.',
  rdp: 'Remote Desktop Protocol.',
  ssh: 'Secure Shell.',
  system: 'The PAM system itself.',
  tcp: 'Any TCP service, passed through.',
  tds: 'Tabular Data Stream (Microsoft SQL Server, Sybase).',
  telnet: 'Telnet.',
  tn3270: 'IBM 3270 terminal (mainframe).',
  tn5250: 'IBM 5250 terminal (IBM i).',
  vnc: 'Virtual Network Computing.',
});

export const AccountTypeEnum = upstreamEnum(
  'AccountType',
  'How users authenticate through an account.',
  ACCOUNT_TYPES,
  {
    anonymous: 'No user authentication.',
    forward: 'The user’s own login and password are forwarded to the server.',
    regular: 'The stored credentials are substituted for the user’s.',
  },
);

export const DumpModeEnum = upstreamEnum('DumpMode', 'Session recording of an account.', DUMP_MODES, {
  all: 'Record everything.',
  none: 'Record nothing.',
  raw: 'Record the raw protocol stream only.',
});

export const CredentialMethodEnum = upstreamEnum(
  'CredentialMethod',
  'How the stored credentials authenticate on the server.',
  CREDENTIAL_METHODS,
  { password: 'A password.', 'ssh-key': 'An SSH private key.', account: 'Another account’s credentials.' },
);

export const PasswordChangerTypeEnum = upstreamEnum(
  'PasswordChangerType',
  'Whether a password changer changes the secret or only verifies it.',
  PASSWORD_CHANGER_TYPES,
  {
    change: 'Changes the secret (the default).',
    verify: 'Only checks that the stored secret still works.',
  },
);

export const ListenerModeEnum = upstreamEnum(
  'ListenerMode',
  'How a listener accepts connections.',
  LISTENER_MODES,
  {
    bastion: 'Users connect to the listener and choose the target there; needs a listen port.',
    gateway: 'The appliance routes traffic addressed to the target server.',
    proxy: 'Users connect to the listener’s own address and port; needs a listen port.',
    transparent: 'Traffic to the target is intercepted in line.',
  },
);

export const UserRoleEnum = upstreamEnum('UserRole', 'Role of a PAM user.', ROLES, {
  superadmin: 'Reads and writes everything.',
  admin: 'Reads and writes everything.',
  operator: 'Read-only; sees only the accounts it was granted.',
  service: 'No access to the management API.',
  user: 'No access to the management API.',
});

export const NoteAccessEnum = upstreamEnum(
  'NoteAccess',
  'What users of a safe may do with session notes.',
  NOTE_ACCESS,
  { none: 'No access to notes.', read: 'Read notes.', write: 'Read and write notes.' },
);

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
