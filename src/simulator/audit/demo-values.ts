/**
 * The vocabulary of the demo audit entries: job kinds, owners, failure reasons. Kept apart from the
 * generator so the generator reads as the rules of docs/upstreams.md §3 and nothing else.
 */

export interface JobKind {
  jobType: string;
  processName: string;
  connectionFor: string;
  /** Whether the job reads a device configuration, and so has a `config_type`. */
  readsConfig: boolean;
}

export const JOB_KINDS: readonly JobKind[] = [
  {
    jobType: 'Config Backup',
    processName: 'Backup Running Config',
    connectionFor: 'backup',
    readsConfig: true,
  },
  {
    jobType: 'Compliance Audit',
    processName: 'Policy Compliance Check',
    connectionFor: 'compliance',
    readsConfig: true,
  },
  {
    jobType: 'Firmware Inventory',
    processName: 'Collect Firmware Version',
    connectionFor: 'inventory',
    readsConfig: false,
  },
  {
    jobType: 'Password Rotation',
    processName: 'Rotate Device Credentials',
    connectionFor: 'password_change',
    readsConfig: false,
  },
  {
    jobType: 'Config Push',
    processName: 'Apply Config Template',
    connectionFor: 'configure',
    readsConfig: true,
  },
];

export const SITES = ['Pune DC', 'Bengaluru DC', 'Frankfurt POP', 'Ashburn POP', 'Singapore Edge', 'HQ Core'];

export const TASK_OWNERS = [
  'netops.admin',
  'a.kumar',
  'j.smith',
  'm.garcia',
  'scheduler',
  'li.wei',
  'r.patel',
];

export interface Failure {
  failureMessage: string;
  error: (ip: string, protocol: string) => string;
}

export const FAILURES: readonly Failure[] = [
  {
    failureMessage: 'Authentication failed',
    error: (ip) => `Login to ${ip} failed: % Authentication failed (bad username or password)`,
  },
  {
    failureMessage: 'Connection timed out',
    error: (ip, protocol) => `Could not connect to ${ip} over ${protocol || 'ssh'}: timed out after 30 s`,
  },
  {
    failureMessage: 'Connection refused',
    error: (ip, protocol) => `Connection to ${ip} refused (${protocol || 'ssh'} port closed)`,
  },
  {
    failureMessage: 'Enable password rejected',
    error: (ip) => `Entering privileged mode on ${ip} failed: % Access denied`,
  },
  {
    failureMessage: 'Host key verification failed',
    error: (ip) => `Host key of ${ip} changed since the last connection; refusing to connect`,
  },
];

/** Logins for entries that must not match any account; filtered against the targets' logins. */
export const STRAY_LOGINS = [
  'svc-legacy',
  'olduser',
  'test01',
  'backup-bot',
  'guest',
  'nocuser',
  'tmp-admin',
];

/** Protocols for entries that do not come from a target. */
export const STRAY_PROTOCOLS = ['ssh', 'ssh', 'telnet', ''];

/** RFC 5737 documentation ranges: no demo server lives there. */
export const STRAY_NETWORKS = ['192.0.2', '198.51.100'];
