/**
 * Servers, safes, listeners and users (docs/upstreams.md §1.5–§1.8): every rule that needs no other object.
 * Uniqueness and references are the upstream's to check.
 */
import type { InputIssue, ListenerWrite, Protocol, SafeWrite, ServerWrite, UserWrite } from '../types.js';
import {
  checkBoolean,
  checkEnum,
  checkFormat,
  checkInteger,
  checkObject,
  checkString,
  IssueList,
  isBlank,
  join,
  known,
  type WriteMode,
} from './checks.js';
import { isEmailAddress, isIpAddress } from './formats.js';

export const PROTOCOLS: Readonly<Record<Protocol, true>> = {
  http: true,
  modbus: true,
  mysql: true,
  rdp: true,
  ssh: true,
  system: true,
  tcp: true,
  tds: true,
  telnet: true,
  tn3270: true,
  tn5250: true,
  vnc: true,
};
const LISTENER_MODES: Readonly<Record<NonNullable<ListenerWrite['mode']>, true>> = {
  bastion: true,
  gateway: true,
  proxy: true,
  transparent: true,
};
const NOTE_ACCESS: Readonly<Record<NonNullable<SafeWrite['noteAccess']>, true>> = {
  none: true,
  read: true,
  write: true,
};
const ROLES: Readonly<Record<NonNullable<UserWrite['role']>, true>> = {
  superadmin: true,
  admin: true,
  operator: true,
  service: true,
  user: true,
};
export const NAME = { min: 1, max: 255 };
export const PORT = { min: 1, max: 65535 };
export const IP_ADDRESS = 'an IPv4 or IPv6 address';

/**
 * `blocked: true` needs a reason. A patch may rely on the stored reason, so there it is an issue only when
 * the same patch clears the reason.
 */
export function checkBlockedReason(
  list: IssueList,
  at: string,
  w: Record<string, unknown>,
  mode: WriteMode,
): void {
  if (w.blocked !== true) return;
  const missing = mode === 'update' ? w.reason === null || w.reason === '' : isBlank(w.reason);
  if (missing) list.addOnce(join(at, 'reason'), 'is required when blocked is true');
}

/** Runs `rules` on the input when it is an object; the input itself missing or malformed is one issue. */
export function validateWith(
  input: unknown,
  at: string,
  rules: (list: IssueList, w: Record<string, unknown>) => void,
): InputIssue[] {
  const list = new IssueList();
  const w = checkObject(list, at, input, { required: true });
  if (w !== undefined) rules(list, w);
  return list.issues;
}

export function validateServer(input: ServerWrite, mode: WriteMode, at = 'input'): InputIssue[] {
  return validateWith(input, at, (list, w) => {
    const required = mode !== 'update';
    checkString(list, join(at, 'name'), w.name, { ...NAME, required });
    checkString(list, join(at, 'description'), w.description, { max: 1024 });
    checkFormat(list, join(at, 'address'), w.address, isIpAddress, IP_ADDRESS, { required });
    checkInteger(list, join(at, 'mask'), w.mask, { min: 0, max: 128, nullable: true });
    checkInteger(list, join(at, 'port'), w.port, { ...PORT, required });
    checkEnum(list, join(at, 'protocol'), w.protocol, PROTOCOLS, { required });
    checkFormat(list, join(at, 'bindIp'), w.bindIp, isIpAddress, IP_ADDRESS, { nullable: true });
    checkBoolean(list, join(at, 'blocked'), w.blocked);
    checkString(list, join(at, 'reason'), w.reason, { nullable: true });
    checkBlockedReason(list, at, w, mode);
  });
}

export function validateSafe(input: SafeWrite, mode: WriteMode, at = 'input'): InputIssue[] {
  return validateWith(input, at, (list, w) => {
    checkString(list, join(at, 'name'), w.name, { ...NAME, required: mode !== 'update' });
    checkBoolean(list, join(at, 'blocked'), w.blocked);
    checkString(list, join(at, 'reason'), w.reason, { nullable: true });
    checkBoolean(list, join(at, 'loginReason'), w.loginReason);
    checkBoolean(list, join(at, 'requireConfirmation'), w.requireConfirmation);
    checkInteger(list, join(at, 'requiredVotes'), w.requiredVotes, { min: 0 });
    checkBoolean(list, join(at, 'webclient'), w.webclient);
    checkInteger(list, join(at, 'inactivityLimit'), w.inactivityLimit, { min: 0 });
    checkInteger(list, join(at, 'timeLimit'), w.timeLimit, { min: 0 });
    checkEnum(list, join(at, 'noteAccess'), w.noteAccess, NOTE_ACCESS);
    checkBlockedReason(list, at, w, mode);
  });
}

export function validateListener(input: ListenerWrite, mode: WriteMode, at = 'input'): InputIssue[] {
  return validateWith(input, at, (list, w) => {
    const required = mode !== 'update';
    checkString(list, join(at, 'name'), w.name, { ...NAME, required });
    checkEnum(list, join(at, 'protocol'), w.protocol, PROTOCOLS, { required });
    checkEnum(list, join(at, 'mode'), w.mode, LISTENER_MODES, { required });
    checkFormat(list, join(at, 'listenIp'), w.listenIp, isIpAddress, IP_ADDRESS);
    checkInteger(list, join(at, 'listenPort'), w.listenPort, { ...PORT, nullable: true });
    checkString(list, join(at, 'externalAddress'), w.externalAddress, { nullable: true });
    checkInteger(list, join(at, 'externalPort'), w.externalPort, { ...PORT, nullable: true });
    checkBoolean(list, join(at, 'blocked'), w.blocked);
    checkString(list, join(at, 'reason'), w.reason, { nullable: true });
    checkListenerPorts(list, at, w, mode);
    checkBlockedReason(list, at, w, mode);
  });
}

/** Bastion and proxy listeners need a port; an external address needs an external port. */
function checkListenerPorts(list: IssueList, at: string, w: Record<string, unknown>, mode: WriteMode): void {
  const listenerMode = known(w.mode, LISTENER_MODES);
  if (listenerMode === 'bastion' || listenerMode === 'proxy') {
    // A patch that leaves the port out keeps the stored one; only clearing it in the same patch is wrong.
    const missing = mode === 'update' ? w.listenPort === null : isBlank(w.listenPort);
    if (missing) list.addOnce(join(at, 'listenPort'), 'is required when mode is bastion or proxy');
  }
  if (!isBlank(w.externalAddress)) {
    const missing = mode === 'update' ? w.externalPort === null : isBlank(w.externalPort);
    if (missing) list.addOnce(join(at, 'externalPort'), 'is required when externalAddress is set');
  }
}

export function validateUser(input: UserWrite, mode: WriteMode, at = 'input'): InputIssue[] {
  return validateWith(input, at, (list, w) => {
    const required = mode !== 'update';
    checkString(list, join(at, 'name'), w.name, { ...NAME, required });
    checkEnum(list, join(at, 'role'), w.role, ROLES, { required });
    checkString(list, join(at, 'fullName'), w.fullName, { nullable: true });
    checkFormat(list, join(at, 'email'), w.email, isEmailAddress, 'an e-mail address', { nullable: true });
    checkString(list, join(at, 'password'), w.password);
    checkBoolean(list, join(at, 'blocked'), w.blocked);
    checkString(list, join(at, 'reason'), w.reason, { nullable: true });
    checkBlockedReason(list, at, w, mode);
  });
}
