/**
 * The table the PAM mutation suites run over for servers, safes, listeners and users: per collection its typed
 * documents, a GraphQL input with every optional field set, the same object as a REST body, what the payload
 * and the simulator hold for it, a patch, a minimal input and what a PUT of it resets the stored row to.
 */
import type { PamState, Table } from '../../src/simulator/pam/store.js';
import type { Row } from '../../src/simulator/pam/types.js';
import {
  CreateListenerDocument,
  CreateSafeDocument,
  CreateServerDocument,
  CreateUserDocument,
  DeleteListenerDocument,
  DeleteSafeDocument,
  DeleteServerDocument,
  DeleteUserDocument,
  ReplaceListenerDocument,
  ReplaceSafeDocument,
  ReplaceServerDocument,
  ReplaceUserDocument,
  UpdateListenerDocument,
  UpdateSafeDocument,
  UpdateServerDocument,
  UpdateUserDocument,
} from '../gql/graphql.js';
import { type AnyMutation, anyMutation } from './mutations.js';

export type Collection = 'Server' | 'Safe' | 'Listener' | 'User';

export interface ResourceCase {
  typename: Collection;
  field: string;
  path: string;
  table: () => Table<Row>;
  /** The typed documents of its create, update (PATCH), replace (PUT) and delete mutations. */
  docs: { create: AnyMutation; update: AnyMutation; replace: AnyMutation; remove: AnyMutation };
  /** A GraphQL input with every optional field set to a non-default value. */
  input: (name: string) => Record<string, unknown>;
  /** The same object as a REST body, for seeding directly. */
  seed: (name: string) => Record<string, unknown>;
  /** What the payload selection returns for `input(name)`, without `id`/`pamId`. */
  payload: (name: string) => Record<string, unknown>;
  /** What the simulator stores for `input(name)`, without `id` and the timestamps. */
  stored: (name: string) => Record<string, unknown>;
  patch: Record<string, unknown>;
  /** State fields the patch changes. */
  patched: Record<string, unknown>;
  /** A minimal whole input: only the required fields. */
  minimal: (name: string) => Record<string, unknown>;
  /** What the simulator stores after a PUT of `minimal(name)`. */
  reset: (name: string) => Record<string, unknown>;
}

/** One server address per name, so that (address, mask, port) never collides between tests. */
const addresses = new Map<string, string>();
function addressFor(name: string): string {
  let address = addresses.get(name);
  if (address === undefined) {
    address = `10.30.${addresses.size + 1}.1`;
    addresses.set(name, address);
  }
  return address;
}

/** One case per collection: the typed documents, inputs, and what the payload and the simulator hold. */
export function collectionCases(state: () => PamState): ResourceCase[] {
  return [
    {
      typename: 'Server',
      field: 'server',
      path: '/api/system/servers',
      table: () => state().servers,
      docs: {
        create: anyMutation(CreateServerDocument),
        update: anyMutation(UpdateServerDocument),
        replace: anyMutation(ReplaceServerDocument),
        remove: anyMutation(DeleteServerDocument),
      },
      input: (name) => ({
        name,
        description: 'core router',
        address: addressFor(name),
        mask: 32,
        port: 2022,
        protocol: 'SSH',
        bindIp: '10.9.9.9',
        blocked: true,
        reason: 'maintenance',
      }),
      seed: (name) => ({
        name,
        description: 'core router',
        address: addressFor(name),
        mask: 32,
        port: 2022,
        protocol: 'ssh',
        bind_ip: '10.9.9.9',
        blocked: true,
        reason: 'maintenance',
      }),
      payload: (name) => ({
        name,
        description: 'core router',
        address: addressFor(name),
        mask: 32,
        port: 2022,
        protocol: 'SSH',
        bindIp: '10.9.9.9',
        blocked: true,
        reason: 'maintenance',
      }),
      stored: (name) => ({
        name,
        description: 'core router',
        address: addressFor(name),
        mask: 32,
        port: 2022,
        protocol: 'ssh',
        bindIp: '10.9.9.9',
        blocked: true,
        reason: 'maintenance',
      }),
      patch: { description: 'edge router', port: 2222 },
      patched: { description: 'edge router', port: 2222 },
      minimal: (name) => ({ name, address: addressFor(name), port: 22, protocol: 'SSH' }),
      reset: (name) => ({
        name,
        description: '',
        address: addressFor(name),
        mask: null,
        port: 22,
        protocol: 'ssh',
        bindIp: null,
        blocked: false,
        reason: null,
      }),
    },
    {
      typename: 'Safe',
      field: 'safe',
      path: '/api/system/safes',
      table: () => state().safes,
      docs: {
        create: anyMutation(CreateSafeDocument),
        update: anyMutation(UpdateSafeDocument),
        replace: anyMutation(ReplaceSafeDocument),
        remove: anyMutation(DeleteSafeDocument),
      },
      input: (name) => ({
        name,
        blocked: true,
        reason: 'audit',
        loginReason: true,
        requireConfirmation: true,
        requiredVotes: 2,
        webclient: false,
        inactivityLimit: 15,
        timeLimit: 60,
        noteAccess: 'WRITE',
      }),
      seed: (name) => ({
        name,
        blocked: true,
        reason: 'audit',
        login_reason: true,
        require_confirmation: true,
        required_votes: 2,
        webclient: false,
        inactivity_limit: 15,
        time_limit: 60,
        note_access: 'write',
      }),
      payload: (name) => ({
        name,
        blocked: true,
        reason: 'audit',
        loginReason: true,
        requireConfirmation: true,
        requiredVotes: 2,
        webclient: false,
        inactivityLimit: 15,
        timeLimit: 60,
        noteAccess: 'WRITE',
      }),
      stored: (name) => ({
        name,
        blocked: true,
        reason: 'audit',
        loginReason: true,
        requireConfirmation: true,
        requiredVotes: 2,
        webclient: false,
        inactivityLimit: 15,
        timeLimit: 60,
        noteAccess: 'write',
      }),
      patch: { requiredVotes: 3, noteAccess: 'READ' },
      patched: { requiredVotes: 3, noteAccess: 'read' },
      minimal: (name) => ({ name }),
      reset: (name) => ({
        name,
        blocked: false,
        reason: null,
        loginReason: false,
        requireConfirmation: false,
        requiredVotes: 0,
        webclient: true,
        inactivityLimit: 0,
        timeLimit: 0,
        noteAccess: 'none',
      }),
    },
    {
      typename: 'Listener',
      field: 'listener',
      path: '/api/system/listeners',
      table: () => state().listeners,
      docs: {
        create: anyMutation(CreateListenerDocument),
        update: anyMutation(UpdateListenerDocument),
        replace: anyMutation(ReplaceListenerDocument),
        remove: anyMutation(DeleteListenerDocument),
      },
      input: (name) => ({
        name,
        protocol: 'SSH',
        mode: 'PROXY',
        listenIp: '10.2.0.1',
        listenPort: 2222,
        externalAddress: 'bastion.example.com',
        externalPort: 22,
        blocked: true,
        reason: 'upgrade',
      }),
      seed: (name) => ({
        name,
        protocol: 'ssh',
        mode: 'proxy',
        listen_ip: '10.2.0.1',
        listen_port: 2222,
        external_address: 'bastion.example.com',
        external_port: 22,
        blocked: true,
        reason: 'upgrade',
      }),
      payload: (name) => ({
        name,
        protocol: 'SSH',
        mode: 'PROXY',
        listenIp: '10.2.0.1',
        listenPort: 2222,
        externalAddress: 'bastion.example.com',
        externalPort: 22,
        blocked: true,
        reason: 'upgrade',
      }),
      stored: (name) => ({
        name,
        protocol: 'ssh',
        mode: 'proxy',
        listenIp: '10.2.0.1',
        listenPort: 2222,
        externalAddress: 'bastion.example.com',
        externalPort: 22,
        blocked: true,
        reason: 'upgrade',
      }),
      patch: { listenPort: 2223, externalAddress: 'b2.example.com' },
      patched: { listenPort: 2223, externalAddress: 'b2.example.com' },
      minimal: (name) => ({ name, protocol: 'SSH', mode: 'GATEWAY' }),
      reset: (name) => ({
        name,
        protocol: 'ssh',
        mode: 'gateway',
        listenIp: '0.0.0.0',
        listenPort: null,
        externalAddress: null,
        externalPort: null,
        blocked: false,
        reason: null,
      }),
    },
    {
      typename: 'User',
      field: 'user',
      path: '/api/system/users',
      table: () => state().users,
      docs: {
        create: anyMutation(CreateUserDocument),
        update: anyMutation(UpdateUserDocument),
        replace: anyMutation(ReplaceUserDocument),
        remove: anyMutation(DeleteUserDocument),
      },
      input: (name) => ({
        name,
        role: 'ADMIN',
        fullName: 'Ada Lovelace',
        email: 'ada@example.com',
        password: 'user-pw',
        blocked: true,
        reason: 'leave',
      }),
      seed: (name) => ({
        name,
        role: 'admin',
        full_name: 'Ada Lovelace',
        email: 'ada@example.com',
        password: 'user-pw',
        blocked: true,
        reason: 'leave',
      }),
      payload: (name) => ({
        name,
        role: 'ADMIN',
        fullName: 'Ada Lovelace',
        email: 'ada@example.com',
        blocked: true,
        reason: 'leave',
      }),
      stored: (name) => ({
        name,
        role: 'admin',
        fullName: 'Ada Lovelace',
        email: 'ada@example.com',
        password: 'user-pw',
        blocked: true,
        reason: 'leave',
      }),
      // The password is not given: PATCH keeps it.
      patch: { fullName: 'Ada King', email: 'ada.king@example.com' },
      patched: { fullName: 'Ada King', email: 'ada.king@example.com' },
      // Without a password PUT clears the stored one.
      minimal: (name) => ({ name, role: 'USER' }),
      reset: (name) => ({
        name,
        role: 'user',
        fullName: null,
        email: null,
        password: null,
        blocked: false,
        reason: null,
      }),
    },
  ];
}

/** A stored row without the fields a test cannot know in advance. */
export function comparable(row: Row | undefined): Record<string, unknown> {
  if (row === undefined) throw new Error('row missing');
  const {
    id: _id,
    createdAt: _c,
    modifiedAt: _m,
    ...rest
  } = row as Row & { createdAt?: string; modifiedAt?: string };
  return rest;
}
