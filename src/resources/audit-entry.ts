/**
 * Audit entries (docs/upstreams.md §2): one record of the Audit API's "Jobs Account Audit" log. Its text fields
 * are vendor free text, `""` upstream when unset: read as null when empty, never as enums a vendor value could
 * break. The device and enable passwords are write-only here: the upstream returns them in clear, the decoder
 * keeps only whether they were set (`hasDevicePassword`, `hasEnablePassword`) and drops the values on the spot.
 */
import { boolean, type FilterMode, resource, text } from './describe.js';

/** Optional audit text: `""` (unset) reads as null; at most `max` characters when given. */
function note(upstream: string, description: string, max?: number, filter?: FilterMode) {
  return text(upstream, { max, nullable: true, filter, description: `${description} Null when not set.` });
}

/** Text the Audit API records about a run; read-only here. */
function reported(upstream: string, description: string, filter?: FilterMode) {
  return text(upstream, {
    readOnly: true,
    nullable: true,
    filter,
    description: `${description} Null when not set.`,
  });
}

/** A secret the upstream echoes: readable only as "was it set". */
const isSet = (upstream: string) => (item: Readonly<Record<string, unknown>>) =>
  typeof item[upstream] === 'string' && item[upstream] !== '';

export const AuditEntry = resource({
  name: 'AuditEntry',
  noun: 'audit entry',
  description: 'Which device account a network job used, against which device, and whether it connected.',
  inputDescription:
    'The writable fields of an audit entry (create, or replace whole). Omitted text fields become unset.',
  fields: {
    id: text('id', {
      readOnly: true,
      required: true,
      scalar: 'ID',
      outputName: 'auditId',
      description: 'The entry’s id in the Audit API (24 hex characters).',
    }),
    createdAt: text('creationtime', {
      readOnly: true,
      required: true,
      scalar: 'DateTime',
      description: 'When the entry was recorded (upstream `creationtime`).',
    }),
    lastUpdateTime: text('last_update_time', {
      format: 'dateTime',
      lenient: true,
      nullable: true,
      scalar: 'DateTime',
      description: 'When the entry last changed; null when not set or not a valid timestamp.',
      inputDescription: 'ISO 8601 date-time; the upstream sets the current time when omitted.',
    }),
    organization: text('organization', {
      min: 1,
      max: 25,
      required: true,
      description: 'Organisation the entry belongs to; a caller only ever sees its own key’s organisation.',
      inputDescription: 'Must be the organisation of your Audit API key.',
    }),
    agentId: reported('agent_id', 'Id of the agent that ran the job.'),
    connectionStatus: reported(
      'connection_status',
      'Outcome of the connection as the vendor reports it, e.g. `success`, `failed`.',
      'anyOf',
    ),
    failureMessage: reported('failure_message', 'Why the connection failed, as reported.'),
    jobId: note('job_id', 'Id of the job.'),
    ciId: note('ci_id', 'Id of the configuration item (device) in the CMDB.'),
    jobIterationId: note('job_iteration_id', 'Id of the job’s run.'),
    ipAddress: note('ipaddress', 'IP address of the target device, as recorded.', 225),
    deviceAccount: note(
      'device_account',
      'Login used on the device; may be `DOMAIN\\login` or `login@domain`.',
      225,
      'exact',
    ),
    devicePassword: text('dpassword', {
      secret: true,
      max: 225,
      description: 'Write-only device password; never returned by pamgraph.',
    }),
    enablePassword: text('denable_password', {
      secret: true,
      max: 225,
      description: 'Write-only enable password; never returned by pamgraph.',
    }),
    connectionProtocol: note(
      'connection_protocol',
      'Protocol used, as recorded, e.g. `ssh`, `telnet`.',
      25,
      'exactCi',
    ),
    error: note('error', 'Error text of the job.', 2000),
    taskOwner: note('task_owner', 'Who owns the task.', 225),
    clientIp: note('client_ip', 'Address the job ran from.', 225),
    jobType: note('job_type', 'Kind of job, e.g. `Config Backup`.', 225, 'exactCi'),
    jobName: note('job_name', 'Name of the job.', 225, true),
    processName: note('process_name', 'Process within the job.', 225),
    connectionFor: note('connection_for', 'What the connection was for.', 225),
    configType: note('config_type', 'Configuration handled, e.g. `running`, `startup`.', 225),
    uofw: note('uofw', 'Unit of work.', 225),
    hasDevicePassword: boolean('dpassword', {
      readOnly: true,
      read: isSet('dpassword'),
      description: 'Whether a device password was recorded. The password itself is never exposed.',
    }),
    hasEnablePassword: boolean('denable_password', {
      readOnly: true,
      read: isSet('denable_password'),
      description: 'Whether an enable password was recorded. The password itself is never exposed.',
    }),
  },
});
