/**
 * The structured JSON logger. Redaction is configured here once, for every log line of the process:
 * credential headers and every secret-bearing field name are censored wherever they appear, so a
 * careless `log.info({ body })` elsewhere cannot leak a secret.
 */
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Field names that may hold a secret, at any depth of a logged object (lower- and camel-case forms). */
export const SECRET_FIELD_NAMES = [
  'authorization',
  'x-pam-token',
  'x-audit-key',
  'x-pamgraph-router-secret',
  'routerSecret',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'private_key',
  'privateKey',
  'privileged_mode_password',
  'privilegedModePassword',
  'privileged_password',
  'privilegedPassword',
  'ssh_password',
  'sshPassword',
  'dpassword',
  'denable_password',
  'devicePassword',
  'enablePassword',
  'token',
  'sessionid',
  'apiKey',
] as const;

function redactPaths(extraHeaders: readonly string[]): string[] {
  const names = [...new Set([...SECRET_FIELD_NAMES, ...extraHeaders])];
  const paths: string[] = [];
  for (const name of names) {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
    // pino's redaction matches fixed depths; two levels of wildcards cover our log shapes
    // (`{headers: {...}}`, `{req: {headers: {...}}}`, `{input: {credentials: {...}}}`).
    paths.push(key, join('*'), join('*.*'), join('*.*.*'));
  }
  return paths;
}

export interface LoggerOptions {
  level: string;
  /** Configured credential header names, redacted like the defaults. */
  credentialHeaders?: readonly string[];
  /** Destination stream; defaults to stdout. Tests pass a collector to assert what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'pamgraph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(options.credentialHeaders ?? []), censor: '[redacted]' },
    },
    options.destination ?? process.stdout,
  );
}
