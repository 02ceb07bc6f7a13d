/**
 * Input types of the mutations. Each writable resource has an `…Input` (create and replace: the whole object)
 * and a `…Patch` (update: only the fields given). Immutable fields (an account's `type`, a server's or a
 * listener's `protocol`) are absent from patches. Secrets are input-only: no client can read them back, so
 * their descriptions say when they must be sent again.
 */
import type { InputFieldBuilder } from '@pothos/core';
import type { BuilderTypes } from '../builder.js';
import { builder } from '../builder.js';
import {
  AccountTypeEnum,
  CredentialMethodEnum,
  DumpModeEnum,
  ListenerModeEnum,
  NoteAccessEnum,
  PasswordChangerTypeEnum,
  ProtocolEnum,
  UserRoleEnum,
} from '../enums.js';

type T = InputFieldBuilder<BuilderTypes, 'InputObject'>;

export const CredentialsInput = builder.inputType('AccountCredentialsInput', {
  description:
    'Login details of an account. Sent whole by `createAccount`/`replaceAccount` (so the secret or private key ' +
    'must be given again); merged by `updateAccount` (a secret not given keeps its stored value).',
  fields: (t) => ({
    login: t.string({ required: true, description: 'Login name on the server (1..255).' }),
    domain: t.string({ description: 'Login domain (≤ 255).' }),
    method: t.field({
      type: CredentialMethodEnum,
      description: 'How the credentials authenticate; required for REGULAR accounts.',
    }),
    secret: t.string({
      description: 'Write-only password (≤ 1024); required when method is PASSWORD. Never returned.',
    }),
    privateKey: t.string({
      description: 'Write-only SSH private key (≤ 16384); required when method is SSH_KEY. Never returned.',
    }),
    passwordChangePolicyId: t.id({
      description: 'Password change policy (global ID or PAM id); required for REGULAR accounts.',
    }),
  }),
});

export const PasswordChangerInput = builder.inputType('PasswordChangerInput', {
  description:
    'A password changer. The list is always written whole, so its write-only passwords must be given again ' +
    'every time `passwordChangers` is sent.',
  fields: (t) => ({
    changerId: t.int({
      required: true,
      description: 'Built-in changer 1..8 (4 = PC_SSH_UNIX_MYSQL, 5..8 Cisco).',
    }),
    type: t.field({ type: PasswordChangerTypeEnum, description: 'Change or only verify (default CHANGE).' }),
    position: t.int({ required: true, description: 'Order among the changers (≥ 0).' }),
    timeout: t.int({ required: true, description: 'Timeout in seconds (1..3600).' }),
    privilegedModePassword: t.string({ description: 'Write-only; required for changers 5..8.' }),
    privilegedUsername: t.string({ description: 'Privileged user name.' }),
    privilegedPassword: t.string({ description: 'Write-only privileged password.' }),
    sshUsername: t.string({ description: 'SSH user; required for changer 4.' }),
    sshPassword: t.string({ description: 'Write-only SSH password; required for changer 4.' }),
    sshHost: t.string({ description: 'SSH host; required for changer 4.' }),
    sshPort: t.string({ description: 'SSH port; required for changer 4.' }),
  }),
});

function accountFields(t: T, whole: boolean) {
  return {
    name: t.string({ required: whole, description: 'Unique account name (1..255).' }),
    blocked: t.boolean({ description: 'Block the account.' }),
    serverId: t.id({ required: whole, description: 'Server the account lives on (global ID or PAM id).' }),
    credentials: t.field({
      type: CredentialsInput,
      description: 'Required for REGULAR and FORWARD accounts; must be absent or null for ANONYMOUS ones.',
    }),
    dumpMode: t.field({ type: DumpModeEnum, description: 'Session recording (default ALL).' }),
    ocrEnabled: t.boolean({ description: 'OCR-process recorded sessions.' }),
    ocrLang: t.string({ description: 'OCR language(s), e.g. `eng` (≤ 64).' }),
    passwordChangeRequest: t.string({
      description: 'ISO 8601 date-time of a requested password change, or null.',
    }),
    passwordCheckoutTimeLimit: t.string({ description: 'Checkout duration `hh:mm:ss`, or null.' }),
    passwordRecovery: t.boolean({
      description: 'Trigger a password changer automatically (REGULAR accounts only).',
    }),
    retention: t.int({ description: 'Days before session data is deleted (1..2147483647), or null.' }),
    passwordChangers: t.field({
      type: [PasswordChangerInput],
      description: 'The whole list of password changers; its passwords must be given again each time.',
    }),
  };
}

export const AccountInput = builder.inputType('AccountInput', {
  description: 'A whole account, for `createAccount` and `replaceAccount`.',
  fields: (t) => ({
    ...accountFields(t, true),
    type: t.field({
      type: AccountTypeEnum,
      required: true,
      description: 'How users authenticate; cannot change later.',
    }),
  }),
});

export const AccountPatch = builder.inputType('AccountPatch', {
  description: 'The fields of an account to change, for `updateAccount`; the type cannot change.',
  fields: (t) => accountFields(t, false),
});

function serverFields(t: T, whole: boolean) {
  return {
    name: t.string({ required: whole, description: 'Unique server name (1..255).' }),
    description: t.string({ description: 'Free text (≤ 1024).' }),
    address: t.string({ required: whole, description: 'IPv4 or IPv6 address.' }),
    mask: t.int({ description: 'Prefix length (0..128) when the server stands for a subnet, or null.' }),
    port: t.int({ required: whole, description: 'Service port (1..65535).' }),
    bindIp: t.string({ description: 'Source IP address for connections, or null.' }),
    blocked: t.boolean({ description: 'Block connections; needs a reason.' }),
    reason: t.string({ description: 'Why it is blocked.' }),
  };
}

export const ServerInput = builder.inputType('ServerInput', {
  description: 'A whole server, for `createServer` and `replaceServer`.',
  fields: (t) => ({
    ...serverFields(t, true),
    protocol: t.field({
      type: ProtocolEnum,
      required: true,
      description: 'Service protocol; cannot change later.',
    }),
  }),
});

export const ServerPatch = builder.inputType('ServerPatch', {
  description: 'The fields of a server to change, for `updateServer`; the protocol cannot change.',
  fields: (t) => serverFields(t, false),
});

function safeFields(t: T, whole: boolean) {
  return {
    name: t.string({ required: whole, description: 'Unique safe name (1..255).' }),
    blocked: t.boolean({ description: 'Block the safe; needs a reason.' }),
    reason: t.string({ description: 'Why it is blocked.' }),
    loginReason: t.boolean({ description: 'Users must give a reason to connect.' }),
    requireConfirmation: t.boolean({ description: 'Connections need confirmation.' }),
    requiredVotes: t.int({ description: 'Confirmations needed (≥ 0).' }),
    webclient: t.boolean({ description: 'Allow the web client.' }),
    inactivityLimit: t.int({ description: 'Minutes of inactivity before a session ends (≥ 0; 0 = off).' }),
    timeLimit: t.int({ description: 'Session time limit in minutes (≥ 0; 0 = off).' }),
    noteAccess: t.field({ type: NoteAccessEnum, description: 'What users may do with session notes.' }),
  };
}

export const SafeInput = builder.inputType('SafeInput', {
  description: 'A whole safe, for `createSafe` and `replaceSafe`.',
  fields: (t) => safeFields(t, true),
});

export const SafePatch = builder.inputType('SafePatch', {
  description: 'The fields of a safe to change, for `updateSafe`.',
  fields: (t) => safeFields(t, false),
});

function listenerFields(t: T, whole: boolean) {
  return {
    name: t.string({ required: whole, description: 'Unique listener name (1..255).' }),
    mode: t.field({ type: ListenerModeEnum, required: whole, description: 'How it accepts connections.' }),
    listenIp: t.string({ description: 'IP address to listen on (default 0.0.0.0).' }),
    listenPort: t.int({ description: 'Port (1..65535); required in BASTION and PROXY modes.' }),
    externalAddress: t.string({ description: 'Address users connect to; needs `externalPort`.' }),
    externalPort: t.int({ description: 'Port users connect to (1..65535).' }),
    blocked: t.boolean({ description: 'Block the listener; needs a reason.' }),
    reason: t.string({ description: 'Why it is blocked.' }),
  };
}

export const ListenerInput = builder.inputType('ListenerInput', {
  description: 'A whole listener, for `createListener` and `replaceListener`.',
  fields: (t) => ({
    ...listenerFields(t, true),
    protocol: t.field({ type: ProtocolEnum, required: true, description: 'Protocol; cannot change later.' }),
  }),
});

export const ListenerPatch = builder.inputType('ListenerPatch', {
  description: 'The fields of a listener to change, for `updateListener`; the protocol cannot change.',
  fields: (t) => listenerFields(t, false),
});

function userFields(t: T, whole: boolean) {
  return {
    name: t.string({ required: whole, description: 'Unique login name (1..255).' }),
    role: t.field({ type: UserRoleEnum, required: whole, description: 'What the user may do.' }),
    fullName: t.string({ description: 'Full name.' }),
    email: t.string({ description: 'E-mail address.' }),
    password: t.string({
      description:
        'Write-only login password; never returned. `replaceUser` without it clears the stored password.',
    }),
    blocked: t.boolean({ description: 'Block the user; needs a reason.' }),
    reason: t.string({ description: 'Why it is blocked.' }),
  };
}

export const UserInput = builder.inputType('UserInput', {
  description: 'A whole user, for `createUser` and `replaceUser`.',
  fields: (t) => userFields(t, true),
});

export const UserPatch = builder.inputType('UserPatch', {
  description: 'The fields of a user to change, for `updateUser`.',
  fields: (t) => userFields(t, false),
});

export const AuditEntryInput = builder.inputType('AuditEntryInput', {
  description:
    'The writable fields of an audit entry (create, or replace whole). Omitted text fields become unset.',
  fields: (t) => ({
    organization: t.string({
      required: true,
      description: 'Must be the organisation of your Audit API key (≤ 25).',
    }),
    jobId: t.string({ description: 'Job id.' }),
    ciId: t.string({ description: 'Configuration item id.' }),
    jobIterationId: t.string({ description: 'Job run id.' }),
    ipAddress: t.string({ description: 'Target device IP address (≤ 225).' }),
    deviceAccount: t.string({ description: 'Login used on the device (≤ 225).' }),
    devicePassword: t.string({
      description: 'Write-only device password (≤ 225); never returned by pamgraph.',
    }),
    enablePassword: t.string({
      description: 'Write-only enable password (≤ 225); never returned by pamgraph.',
    }),
    connectionProtocol: t.string({ description: 'Protocol used, e.g. `ssh` (≤ 25).' }),
    error: t.string({ description: 'Error text (≤ 2000).' }),
    taskOwner: t.string({ description: 'Task owner (≤ 225).' }),
    clientIp: t.string({ description: 'Address the job ran from (≤ 225).' }),
    jobType: t.string({ description: 'Kind of job (≤ 225).' }),
    jobName: t.string({ description: 'Job name (≤ 225).' }),
    processName: t.string({ description: 'Process (≤ 225).' }),
    connectionFor: t.string({ description: 'What the connection was for (≤ 225).' }),
    lastUpdateTime: t.string({
      description: 'ISO 8601 date-time; the upstream sets the current time when omitted.',
    }),
    configType: t.string({ description: 'Configuration type (≤ 225).' }),
    uofw: t.string({ description: 'Unit of work (≤ 225).' }),
  }),
});
