/** docs/upstreams.md §1.7 listeners. */
import { compact, readBlocked, stamps } from './common.js';
import type { Resource } from './crud.js';
import type { FieldReader } from './reader.js';
import type { PamState } from './store.js';
import { LISTENER_MODES, type Listener, PROTOCOLS } from './types.js';

const PORT = { min: 1, max: 65535 } as const;

function parseListener(
  state: PamState,
  r: FieldReader,
  existing: Listener | undefined,
): Omit<Listener, 'id'> {
  // An invalid mode must not add a listen_port error of its own, hence no fallback before this check.
  const mode = r.choice('mode', LISTENER_MODES, { required: true }) ?? undefined;
  const needsPort = mode === 'bastion' || mode === 'proxy';
  const listener: Omit<Listener, 'id'> = {
    name: r.string('name', { required: true, min: 1, max: 255 }) ?? '',
    protocol: r.choice('protocol', PROTOCOLS, { required: true }) ?? 'ssh',
    mode: mode ?? 'gateway',
    listenIp: r.string('listen_ip', { format: 'ip' }) ?? '0.0.0.0',
    listenPort: r.integer('listen_port', { ...PORT, nullable: true, required: needsPort }) ?? null,
    externalAddress: r.string('external_address', { nullable: true }) ?? null,
    externalPort: r.integer('external_port', { ...PORT, nullable: true }) ?? null,
    ...readBlocked(r),
    ...stamps(state, existing),
  };
  const portPath = r.path('listen_port');
  if (needsPort && listener.listenPort === null && !r.errors.has(portPath)) {
    r.fail('listen_port', 'This field is required when mode is bastion or proxy.');
  }
  if (listener.externalAddress && listener.externalPort === null && !r.errors.has(r.path('external_port'))) {
    r.fail('external_port', 'This field is required when external_address is set.');
  }
  return listener;
}

export function serializeListener(listener: Listener) {
  return {
    id: listener.id,
    name: listener.name,
    protocol: listener.protocol,
    mode: listener.mode,
    listen_ip: listener.listenIp,
    listen_port: listener.listenPort,
    external_address: listener.externalAddress,
    external_port: listener.externalPort,
    blocked: listener.blocked,
    reason: listener.reason,
    created_at: listener.createdAt,
    modified_at: listener.modifiedAt,
  };
}

export const listeners: Resource<Listener> = {
  table: (state) => state.listeners,
  article: 'A listener',
  immutable: ['protocol'],
  mergeNested: [],
  parse: parseListener,
  toInput: (listener) => compact(serializeListener(listener)),
  serialize: (_state, listener) => serializeListener(listener),
  checkDelete(state, listener) {
    for (const bySafe of state.assignments.values()) {
      for (const assignment of bySafe.values()) {
        if (assignment.listenerId === listener.id) {
          return 'This listener is used by safe assignments and cannot be deleted.';
        }
      }
    }
    return undefined;
  },
};
