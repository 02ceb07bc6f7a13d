/**
 * What each PAM type's lists can be filtered and ordered by: the fields its description marks (src/resources),
 * plus the conditions a description cannot say, declared here: an account's server (by id, or by its protocol)
 * and a server's address range.
 */
import type { GatewayContext } from '../context.js';
import { parseAddressQuery, serverMatchesAddress } from '../lists/address.js';
import { toMatchServer } from '../loaders/matching.js';
import { Account, Listener, Protocol, Safe, Server, User } from '../resources/index.js';
import type { PamAccount, PamListener, PamSafe, PamServer, PamUser } from '../upstream/pam/index.js';
import { pamIdArg } from './ids.js';
import { listDef } from './lists.js';

/** One match shape per server object, so that its address range is worked out once (match/server.ts caches by it). */
const MATCH_SERVERS = new WeakMap<PamServer, ReturnType<typeof toMatchServer>>();
function matchServerOf(server: PamServer) {
  let match = MATCH_SERVERS.get(server);
  if (!match) {
    match = toMatchServer(server);
    MATCH_SERVERS.set(server, match);
  }
  return match;
}

export const AccountList = listDef<PamAccount>('Account', Account, [
  {
    name: 'serverId',
    description: 'Accounts on this server (global ID or PAM id).',
    type: 'ID',
    build: (value) => {
      const id = pamIdArg(String(value), 'Server');
      return (account) => account.serverId === id;
    },
  },
  {
    name: 'serverProtocol',
    description: 'Accounts whose server speaks any of these protocols.',
    type: Protocol,
    build: async (value, ctx: GatewayContext) => {
      const wanted = new Set(value as readonly string[]);
      const servers = await ctx.loaders.servers.all();
      const matching = new Set(servers.filter((s) => wanted.has(s.protocol)).map((s) => s.id));
      return (account) => matching.has(account.serverId);
    },
  },
]);

export const ServerList = listDef<PamServer>('Server', Server, [
  {
    name: 'address',
    description:
      'An IP address: the servers that stand for it (the same address, or a subnet that contains it). A CIDR: the ' +
      'servers whose own address lies inside it (host bits of the CIDR are ignored). Anything else is ' +
      'BAD_USER_INPUT.',
    type: 'String',
    build: (value) => {
      const query = parseAddressQuery(String(value));
      return (server) => serverMatchesAddress(matchServerOf(server), query);
    },
  },
]);

export const SafeList = listDef<PamSafe>('Safe', Safe);
export const ListenerList = listDef<PamListener>('Listener', Listener);
export const UserList = listDef<PamUser>('User', User);
