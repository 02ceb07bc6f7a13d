/** Demo accounts: realistic logins per protocol, a mix of types and methods, some changers and blocks. */
import type { Random } from '../random.js';
import { derivePublicKey } from './credentials.js';
import { LOGINS } from './demo-names.js';
import { demoTimestamp, randomString, weighted } from './demo-random.js';
import type { PamState } from './store.js';
import type { Account, AccountType, Credentials, Method, PasswordChanger, Server } from './types.js';

const NETWORK_LOGINS = new Set(['cisco', 'netadmin']);

function pickMethod(rng: Random, server: Server): Method {
  if (server.protocol === 'ssh')
    return weighted(rng, [
      ['password', 55],
      ['ssh-key', 35],
      ['account', 10],
    ] as const);
  return rng.chance(0.9) ? 'password' : 'account';
}

function privateKey(rng: Random): string {
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomString(rng, 64)}\n-----END OPENSSH PRIVATE KEY-----`;
}

function domainFor(rng: Random, server: Server): string {
  if (server.protocol === 'rdp' || server.protocol === 'tds') return rng.chance(0.6) ? 'CORP' : '';
  return server.protocol === 'ssh' && rng.chance(0.05) ? 'LAB' : '';
}

function credentialsFor(rng: Random, state: PamState, type: AccountType, server: Server, login: string) {
  if (type === 'anonymous') return null;
  const domain = domainFor(rng, server);
  if (type === 'forward') {
    const creds: Credentials = {
      domain,
      login,
      method: null,
      secret: null,
      privateKey: null,
      publicKey: null,
      policyId: null,
    };
    return creds;
  }
  const method = pickMethod(rng, server);
  const key = method === 'ssh-key' ? privateKey(rng) : null;
  const policyId = rng.chance(0.6) ? 1 : rng.int(1, state.policies.size);
  const creds: Credentials = {
    domain,
    login,
    method,
    secret: method === 'password' ? randomString(rng, rng.int(16, 24)) : null,
    privateKey: key,
    publicKey: key ? derivePublicKey(key) : null,
    policyId,
  };
  return creds;
}

function changerFor(rng: Random, server: Server, login: string): PasswordChanger {
  const base: PasswordChanger = {
    id: 1,
    type: 'change',
    position: 0,
    timeout: rng.pick([30, 60, 120, 300]),
    privilegedModePassword: null,
    privilegedUsername: '',
    privilegedPassword: null,
    sshUsername: '',
    sshPassword: null,
    sshHost: '',
    sshPort: '',
  };
  if (server.protocol === 'telnet' || NETWORK_LOGINS.has(login)) {
    const id = server.protocol === 'telnet' ? rng.pick([5, 6]) : rng.pick([7, 8]);
    return { ...base, id, privilegedModePassword: randomString(rng, 12) };
  }
  if (server.protocol === 'mysql' || server.protocol === 'ssh') {
    const sshPassword = randomString(rng, 16);
    return { ...base, id: 4, sshUsername: 'pamchanger', sshPassword, sshHost: server.address, sshPort: '22' };
  }
  return base;
}

/** A unique `login@server` name; a login already used on that server gets a numbered variant. */
function uniqueLogin(state: PamState, server: Server, base: string): { login: string; name: string } {
  for (let k = 1; ; k++) {
    const login = k === 1 ? base : `${base}${k}`;
    const name = `${login}@${server.name}`;
    if (!state.accounts.nameTaken(name)) return { login, name };
  }
}

function demoAccount(rng: Random, state: PamState, server: Server): Omit<Account, 'id'> {
  const type = weighted(rng, [
    ['regular', 83],
    ['forward', 12],
    ['anonymous', 5],
  ] as const);
  const base = type === 'anonymous' ? 'anonymous' : rng.pick(LOGINS[server.protocol]);
  const { login, name } = uniqueLogin(state, server, base);
  const credentials = credentialsFor(rng, state, type, server, login);
  const hasSecret = Boolean(credentials?.secret ?? credentials?.privateKey);
  const changers =
    credentials?.method === 'password' && rng.chance(0.2) ? [changerFor(rng, server, login)] : [];
  const ocr = (server.protocol === 'rdp' || server.protocol === 'vnc') && rng.chance(0.4);
  return {
    name,
    type,
    blocked: rng.chance(0.03),
    serverId: server.id,
    credentials,
    dumpMode: weighted(rng, [
      ['all', 85],
      ['raw', 10],
      ['none', 5],
    ] as const),
    ocrEnabled: ocr,
    ocrLang: ocr ? rng.pick(['eng', 'eng+pol', 'deu']) : '',
    passwordLastUpdate: hasSecret ? demoTimestamp(rng) : null,
    passwordChangeRequest: null,
    passwordCheckoutTimeLimit: rng.chance(0.2) ? rng.pick(['00:30:00', '01:00:00', '08:00:00']) : null,
    passwordRecovery: changers.length > 0 && type === 'regular' && rng.chance(0.5),
    retention: rng.chance(0.5) ? null : rng.pick([30, 90, 180, 365]),
    changers,
  };
}

export function generateAccounts(
  state: PamState,
  rng: Random,
  count: number,
  servers: readonly Server[],
): void {
  if (servers.length === 0) return;
  for (let i = 0; i < count; i++) state.accounts.insert(demoAccount(rng, state, rng.pick(servers)));
}
