/** Listeners (docs/upstreams.md §1.7): entry points through which safes expose accounts to users. */
import { blockedNeedsReason, isBlank, join, known, type Rules } from '../write/validate/checks.js';
import { created, modified, NAME, PORT, pamId } from './common.js';
import { boolean, choice, enumSpec, int, resource, text } from './describe.js';
import { Protocol } from './server.js';

export const ListenerMode = enumSpec('ListenerMode', 'How a listener accepts connections.', {
  bastion: 'Users connect to the listener and choose the target there; needs a listen port.',
  gateway: 'The appliance routes traffic addressed to the target server.',
  proxy: 'Users connect to the listener’s own address and port; needs a listen port.',
  transparent: 'Traffic to the target is intercepted in line.',
});

/** Bastion and proxy listeners need a port; an external address needs an external port. */
const portsAndReason: Rules = (list, at, w, mode) => {
  const listenerMode = known(w.mode, ListenerMode.values);
  if (listenerMode === 'bastion' || listenerMode === 'proxy') {
    // A patch that leaves the port out keeps the stored one; only clearing it in the same patch is wrong.
    const missing = mode === 'update' ? w.listenPort === null : isBlank(w.listenPort);
    if (missing) list.addOnce(join(at, 'listenPort'), 'is required when mode is bastion or proxy');
  }
  if (!isBlank(w.externalAddress)) {
    const missing = mode === 'update' ? w.externalPort === null : isBlank(w.externalPort);
    if (missing) list.addOnce(join(at, 'externalPort'), 'is required when externalAddress is set');
  }
  blockedNeedsReason(list, at, w, mode);
};

export const Listener = resource({
  name: 'Listener',
  noun: 'listener',
  description: 'An entry point (address, port, mode) through which safes expose accounts to users.',
  fields: {
    id: pamId('listener'),
    name: text('name', {
      ...NAME,
      required: true,
      filter: true,
      sort: true,
      description: 'Unique listener name.',
    }),
    protocol: choice('protocol', Protocol, {
      filter: true,
      required: true,
      immutable: true,
      description: 'Protocol it accepts.',
      inputDescription: 'Protocol; cannot change later.',
    }),
    mode: choice('mode', ListenerMode, {
      required: true,
      filter: true,
      description: 'How it accepts connections.',
    }),
    listenIp: text('listen_ip', {
      format: 'ip',
      scalar: 'IP',
      nullable: true,
      description: 'Address it listens on.',
      inputDescription: 'IP address to listen on (default 0.0.0.0).',
    }),
    listenPort: int('listen_port', {
      ...PORT,
      scalar: 'Port',
      nullable: true,
      clearable: true,
      description: 'Port it listens on; null in gateway and transparent modes.',
      inputDescription: 'Port to listen on; required in BASTION and PROXY modes.',
    }),
    externalAddress: text('external_address', {
      nullable: true,
      clearable: true,
      description: 'Address users connect to, when it differs.',
      inputDescription: 'Address users connect to; needs `externalPort`.',
    }),
    externalPort: int('external_port', {
      ...PORT,
      scalar: 'Port',
      nullable: true,
      clearable: true,
      description: 'Port users connect to, when it differs.',
    }),
    blocked: boolean('blocked', {
      filter: true,
      fallback: false,
      description: 'Whether the listener is blocked.',
      inputDescription: 'Block the listener; needs a reason.',
    }),
    reason: text('reason', { nullable: true, clearable: true, description: 'Why the listener is blocked.' }),
    createdAt: created,
    modifiedAt: modified,
  },
  rules: portsAndReason,
});
