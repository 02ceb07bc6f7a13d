/**
 * Servers (docs/upstreams.md §1.5): a host, or a subnet when `mask` is set, that privileged accounts live on.
 * The Protocol enum is shared with listeners (§1.7).
 */
import { blockedNeedsReason } from '../write/validate/checks.js';
import { created, modified, NAME, PORT, pamId } from './common.js';
import { boolean, choice, enumSpec, int, resource, text } from './describe.js';

export const Protocol = enumSpec('Protocol', 'Protocol of a server or listener.', {
  http: 'HTTP(S) web applications.',
  modbus: 'Modbus/TCP (industrial control).',
  mysql: 'MySQL database protocol.',
  rdp: 'Remote Desktop Protocol.',
  ssh: 'Secure Shell.',
  system: 'The PAM system itself.',
  tcp: 'Any TCP service, passed through.',
  tds: 'Tabular Data Stream (Microsoft SQL Server, Sybase).',
  telnet: 'Telnet.',
  tn3270: 'IBM 3270 terminal (mainframe).',
  tn5250: 'IBM 5250 terminal (IBM i).',
  vnc: 'Virtual Network Computing.',
});

export const Server = resource({
  name: 'Server',
  noun: 'server',
  description: 'A server (or a subnet, when `mask` is set) that privileged accounts live on.',
  fields: {
    id: pamId('server'),
    name: text('name', {
      ...NAME,
      required: true,
      filter: true,
      sort: true,
      description: 'Unique server name.',
    }),
    description: text('description', { max: 1024, nullable: true, description: 'Free-text description.' }),
    address: text('address', {
      format: 'ip',
      scalar: 'IP',
      required: true,
      description: 'IPv4 or IPv6 address (the network address for a subnet).',
    }),
    mask: int('mask', {
      min: 0,
      max: 128,
      nullable: true,
      clearable: true,
      description: 'Prefix length when the server stands for a subnet; null for one host.',
    }),
    port: int('port', { ...PORT, scalar: 'Port', required: true, description: 'Service port.' }),
    protocol: choice('protocol', Protocol, {
      filter: true,
      required: true,
      immutable: true,
      description: 'Service protocol.',
      inputDescription: 'Service protocol; cannot change later.',
    }),
    bindIp: text('bind_ip', {
      format: 'ip',
      scalar: 'IP',
      nullable: true,
      clearable: true,
      description: 'Source address for connections; null when any.',
    }),
    blocked: boolean('blocked', {
      filter: true,
      fallback: false,
      description: 'Whether connections to the server are blocked.',
      inputDescription: 'Block connections; needs a reason.',
    }),
    reason: text('reason', { nullable: true, clearable: true, description: 'Why the server is blocked.' }),
    createdAt: created,
    modifiedAt: modified,
  },
  rules: blockedNeedsReason,
});
