/** Word lists for the demo data set. Plain data; the generators decide how to combine them. */
import type { Protocol } from './types.js';

export const FIRST_NAMES = [
  'Anna',
  'Piotr',
  'Maria',
  'Tomasz',
  'Olivia',
  'James',
  'Sofia',
  'Lukas',
  'Emma',
  'Noah',
  'Chloe',
  'Mateo',
  'Ingrid',
  'Rahul',
  'Aisha',
  'Kenji',
  'Laura',
  'Daniel',
  'Nina',
  'Omar',
  'Eva',
  'Marek',
  'Julia',
  'Hugo',
] as const;

export const LAST_NAMES = [
  'Kowalski',
  'Nowak',
  'Smith',
  'Johnson',
  'Garcia',
  'Muller',
  'Rossi',
  'Dubois',
  'Tanaka',
  'Patel',
  'Silva',
  'Jensen',
  'Novak',
  'Horvath',
  'Andersson',
  'Costa',
  'Wright',
  'Fischer',
  'Kim',
  'Lopez',
  'Berg',
  'Ivanova',
] as const;

export const SERVICE_PURPOSES = [
  'ansible',
  'backup',
  'monitoring',
  'siem',
  'cmdb-sync',
  'ci-runner',
  'vault-sync',
  'reporting',
  'nccm-audit',
] as const;

/** Host name prefixes by the protocol of the host's first service, so names hint at what a box is. */
export const HOST_PREFIXES: Record<Protocol, readonly string[]> = {
  ssh: ['web', 'app', 'db', 'k8s-node', 'jump', 'backup', 'mail', 'git', 'ci', 'log'],
  rdp: ['win-app', 'dc', 'rds', 'win-file'],
  telnet: ['core-sw', 'edge-rtr', 'access-sw', 'fw'],
  mysql: ['mysql'],
  tds: ['mssql'],
  http: ['idrac', 'ilo', 'portal'],
  vnc: ['kiosk', 'hmi'],
  tcp: ['lb'],
  modbus: ['plc'],
  tn3270: ['mainframe'],
  tn5250: ['as400'],
  system: ['pam'],
};

/** Logins that fit each protocol's kind of target. */
export const LOGINS: Record<Protocol, readonly string[]> = {
  ssh: ['root', 'admin', 'ansible', 'deploy', 'svc_backup', 'oracle', 'postgres', 'netadmin', 'cisco'],
  rdp: ['administrator', 'svc_backup', 'admin', 'deploy'],
  telnet: ['cisco', 'netadmin', 'admin'],
  mysql: ['root', 'admin', 'svc_backup'],
  tds: ['sa', 'svc_backup', 'administrator'],
  http: ['admin', 'root'],
  vnc: ['admin', 'operator'],
  tcp: ['admin'],
  modbus: ['admin'],
  tn3270: ['ibmuser', 'admin'],
  tn5250: ['qsecofr'],
  system: ['admin'],
};

export const DEFAULT_PORTS: Record<Protocol, number> = {
  ssh: 22,
  rdp: 3389,
  telnet: 23,
  mysql: 3306,
  tds: 1433,
  http: 443,
  vnc: 5900,
  tcp: 8443,
  modbus: 502,
  tn3270: 2323,
  tn5250: 2324,
  system: 9000,
};

/** Protocols in order of how common they are; a small listener budget keeps only the first ones. */
export const PROTOCOL_WEIGHTS: ReadonlyArray<readonly [Protocol, number]> = [
  ['ssh', 50],
  ['rdp', 14],
  ['telnet', 8],
  ['mysql', 6],
  ['http', 6],
  ['tds', 5],
  ['vnc', 4],
  ['tcp', 3],
  ['modbus', 2],
  ['tn3270', 2],
];

export const SAFE_AREAS = [
  'Linux',
  'Windows',
  'Network',
  'Database',
  'Web',
  'Backup',
  'Mainframe',
  'OT',
  'Cloud',
  'Security',
] as const;
export const SAFE_SCOPES = [
  'Production',
  'Staging',
  'Development',
  'DR',
  'Vendor Access',
  'Emergency',
] as const;

export const BLOCK_REASONS = [
  'Decommissioning scheduled',
  'Security review in progress',
  'Vendor contract expired',
  'Suspected compromise, locked by SOC',
] as const;

export const DEMO_POLICIES = [
  { name: 'Daily rotation', changeFrequency: 1440, complexityLength: 16 },
  { name: 'Weekly 24 chars', changeFrequency: 10080, complexityLength: 24 },
  { name: 'Monthly 32 chars', changeFrequency: 43200, complexityLength: 32 },
  { name: 'After each checkout', changeFrequency: 60, complexityLength: 20 },
] as const;
