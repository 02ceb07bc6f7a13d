/**
 * Audit entries (docs/upstreams.md §2.3). Create and PUT both send every writable field, so the same rules hold
 * for both. Optional fields are strings where `""` means unset; `null` is refused by the upstream, so it is
 * refused here too. Whether `organization` is the key's own is the upstream's to say.
 */
import type { AuditEntryWrite, InputIssue } from '../types.js';
import { checkFormat, checkString, join } from './checks.js';
import { isDateTime } from './formats.js';
import { validateWith } from './resources.js';

/** Maximum length in characters of each optional string field; `undefined` where the contract sets none. */
const LIMITS: Readonly<
  Record<Exclude<keyof AuditEntryWrite, 'organization' | 'lastUpdateTime'>, number | undefined>
> = {
  jobId: undefined,
  ciId: undefined,
  jobIterationId: undefined,
  ipAddress: 225,
  deviceAccount: 225,
  devicePassword: 225,
  enablePassword: 225,
  connectionProtocol: 25,
  error: 2000,
  taskOwner: 225,
  clientIp: 225,
  jobType: 225,
  jobName: 225,
  processName: 225,
  connectionFor: 225,
  configType: 225,
  uofw: 225,
};

export function validateAuditEntry(
  input: AuditEntryWrite,
  _mode: 'create' | 'replace',
  at = 'input',
): InputIssue[] {
  return validateWith(input, at, (list, w) => {
    checkString(list, join(at, 'organization'), w.organization, { min: 1, max: 25, required: true });
    for (const [field, max] of Object.entries(LIMITS)) {
      checkString(list, join(at, field), w[field], max === undefined ? {} : { max });
    }
    // Left out, the upstream stamps the current time; given, it must be a real instant.
    const timestamp = 'an ISO 8601 date-time with a time zone offset';
    checkFormat(list, join(at, 'lastUpdateTime'), w.lastUpdateTime, isDateTime, timestamp);
  });
}
