/**
 * `accountpasswordchanger_set` (docs/upstreams.md §1.2 PasswordChangerAttributes). The list is always written
 * whole, so there is no merge logic: whatever list the body carries replaces the stored one.
 */
import { compact } from './common.js';
import { isObject, type JsonObject } from './errors.js';
import { FieldReader } from './reader.js';
import { CHANGER_TYPES, type PasswordChanger } from './types.js';

const LIST = 'accountpasswordchanger_set';
/** PC_TELNET_CISCO, PC_TELNET_CISCO_ENABLE, PC_SSH_CISCO, PC_SSH_CISCO_ENABLE need the enable password. */
const NEEDS_PRIVILEGED_MODE = new Set([5, 6, 7, 8]);
/** PC_SSH_UNIX_MYSQL logs in over SSH first. */
const NEEDS_SSH = 4;

function requiredIf(condition: boolean) {
  return { required: condition, min: condition ? 1 : 0 };
}

function parseChanger(c: FieldReader): PasswordChanger {
  const id = c.integer('id', { required: true, min: 1, max: 8 }) ?? 0;
  const cisco = NEEDS_PRIVILEGED_MODE.has(id);
  const ssh = id === NEEDS_SSH;
  return {
    id,
    type: c.choice('password_changer_type', CHANGER_TYPES) ?? 'change',
    position: c.integer('position', { required: true, min: 0 }) ?? 0,
    timeout: c.integer('timeout', { required: true, min: 1, max: 3600 }) ?? 0,
    privilegedModePassword: c.string('privileged_mode_password', requiredIf(cisco)) ?? null,
    privilegedUsername: c.string('privileged_username') ?? '',
    privilegedPassword: c.string('privileged_password') ?? null,
    sshUsername: c.string('ssh_username', requiredIf(ssh)) ?? '',
    sshPassword: c.string('ssh_password', requiredIf(ssh)) ?? null,
    sshHost: c.string('ssh_host', requiredIf(ssh)) ?? '',
    sshPort: c.string('ssh_port', requiredIf(ssh)) ?? '',
  };
}

export function parseChangers(r: FieldReader): PasswordChanger[] {
  const list = r.array(LIST);
  if (!list) return [];
  const changers: PasswordChanger[] = [];
  list.forEach((item, index) => {
    const path = r.path(`${LIST}.${index}`);
    if (isObject(item)) changers.push(parseChanger(new FieldReader(item, r.errors, path)));
    else r.errors.add(path, 'Invalid data. Expected a dictionary.');
  });
  return changers;
}

export function changerInput(changer: PasswordChanger): JsonObject {
  return compact({
    ...serializeChanger(changer),
    privileged_mode_password: changer.privilegedModePassword,
    privileged_password: changer.privilegedPassword,
    ssh_password: changer.sshPassword,
  });
}

/** The readable fields only: the three passwords are write-only. */
export function serializeChanger(changer: PasswordChanger) {
  return {
    id: changer.id,
    password_changer_type: changer.type,
    position: changer.position,
    timeout: changer.timeout,
    privileged_username: changer.privilegedUsername,
    ssh_username: changer.sshUsername,
    ssh_host: changer.sshHost,
    ssh_port: changer.sshPort,
  };
}
