/**
 * The canaries of the schema-walk leak test (test/gateway/secrets.test.ts): `plant` writes a distinct canary into
 * every write-only or sensitive field the simulators hold (account secrets and private keys, password-changer
 * passwords, user passwords, audit `dpassword` and `denable_password`), straight over their REST APIs, and
 * a MARKER into readable fields beside them, so the search is proven able to find what it looks for.
 */
import { randomBytes } from 'node:crypto';
import { SimulatorWriter } from './seed.js';
import type { Stack } from './stack.js';

/** Planted in readable fields next to the secrets: the search must find these, proving it can find a canary. */
export const MARKER = `MARKER-${randomBytes(6).toString('hex')}`;

/** Every canary planted, by the field it went into. */
export const canaries = new Map<string, string>();
function canary(kind: string): string {
  const value = `CANARY-${kind}-${randomBytes(6).toString('hex')}`;
  canaries.set(`${kind}#${canaries.size}`, value);
  return value;
}

export interface Planted {
  accounts: Record<string, number>;
  users: Record<string, { id: number; name: string; password: string }>;
  audit: Array<{ id: string; dpassword: string; enable: string; key: string }>;
  operatorId: number;
}

export async function plant(stack: Stack): Promise<Planted> {
  const { pam, audit } = stack.sims.credentials;
  const w = new SimulatorWriter(
    stack.sims.pam.url,
    pam.superadminToken,
    stack.sims.audit.url,
    audit.primaryKey,
  );
  const host = await w.server('canary-host', '10.20.30.40', 'ssh', 22);
  const subnet = await w.server('canary-subnet', '10.99.0.0', 'telnet', 23, 16);
  const listener = await w.pam('POST', '/api/system/listeners', {
    name: 'canary-listener',
    protocol: 'ssh',
    mode: 'bastion',
    listen_port: 2222,
  });
  const telnetListener = await w.pam('POST', '/api/system/listeners', {
    name: 'canary-telnet',
    protocol: 'telnet',
    mode: 'gateway',
  });
  const safe = await w.pam('POST', '/api/system/safes', { name: 'canary-safe' });

  const users: Planted['users'] = {};
  for (const [name, role] of [
    ['canary-operator', 'operator'],
    ['canary-admin', 'admin'],
  ] as const) {
    const password = canary('userpw');
    const user = await w.pam('POST', '/api/system/users', {
      name,
      role,
      full_name: `${MARKER} ${name}`,
      email: `${name}@example.test`,
      password,
    });
    users[name] = { id: user.id, name, password };
  }

  const cisco = (id: number, position: number, type: 'change' | 'verify') => ({
    id,
    position,
    timeout: 30,
    password_changer_type: type,
    privileged_username: `enable-${id}`,
    privileged_mode_password: canary('pmp'),
    privileged_password: canary('privpw'),
  });
  const sshChanger = {
    id: 4,
    position: 0,
    timeout: 60,
    ssh_username: 'changer',
    ssh_password: canary('sshpw'),
    ssh_host: '10.20.30.40',
    ssh_port: '22',
    privileged_username: 'mysql-admin',
    privileged_password: canary('privpw'),
  };
  const bodies: Record<string, Record<string, unknown>> = {
    password: {
      type: 'regular',
      server_id: host.id,
      credentials: {
        login: 'root',
        method: 'password',
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
      accountpasswordchanger_set: [sshChanger],
      ocr_enabled: true,
      ocr_lang: 'eng',
      retention: 30,
      password_checkout_time_limit: '36:00:00',
    },
    sshkey: {
      type: 'regular',
      server_id: host.id,
      credentials: {
        login: 'deploy',
        method: 'ssh-key',
        private_key: canary('privkey'),
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
      accountpasswordchanger_set: [cisco(5, 0, 'change'), cisco(6, 1, 'verify')],
    },
    forward: {
      type: 'forward',
      server_id: subnet.id,
      credentials: { login: 'fwd', secret: canary('secret') },
      accountpasswordchanger_set: [cisco(7, 0, 'change'), cisco(8, 1, 'change')],
    },
    cisco: {
      type: 'regular',
      server_id: subnet.id,
      password_recovery: true,
      credentials: {
        login: 'cisco',
        domain: 'CORP',
        method: 'password',
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
      accountpasswordchanger_set: [
        cisco(5, 0, 'change'),
        cisco(6, 1, 'change'),
        cisco(7, 2, 'verify'),
        cisco(8, 3, 'verify'),
      ],
    },
    viaAccount: {
      type: 'regular',
      server_id: host.id,
      credentials: {
        login: 'jump',
        method: 'account',
        secret: canary('secret'),
        password_change_policy_id: 1,
      },
    },
    anonymous: { type: 'anonymous', server_id: subnet.id },
  };
  const accounts: Record<string, number> = {};
  for (const [name, body] of Object.entries(bodies)) {
    accounts[name] = (await w.pam('POST', '/api/system/accounts', { name: `canary-${name}`, ...body })).id;
  }
  // A password change: PATCH merges `credentials`, so only the new secret is sent.
  await w.pam('PATCH', `/api/system/accounts/${accounts.password}`, {
    credentials: { secret: canary('newsecret') },
  });

  const operator = (await w.pam<Array<{ id: number; name: string }>>('GET', '/api/system/users')).find(
    (u) => u.name === pam.operatorName,
  );
  if (!operator) throw new Error('demo operator missing');
  const grantees = [operator.id, ...Object.values(users).map((u) => u.id)];
  for (const accountId of Object.values(accounts)) {
    for (const userId of grantees) {
      if (userId === operator.id && accountId === accounts.viaAccount) continue;
      await w.pam('POST', `/api/system/accounts/${accountId}/granted_users`, { user_id: userId });
    }
    await w.pam('POST', `/api/system/safes/${safe.id}/accounts`, {
      account_id: accountId,
      listener_id: listener.id,
    });
    await w.pam('POST', `/api/system/safes/${safe.id}/accounts`, {
      account_id: accountId,
      listener_id: telnetListener.id,
    });
  }

  const entries: Planted['audit'] = [];
  const entry = async (
    fields: Record<string, string>,
    key: string = audit.primaryKey,
    org: string = audit.primaryOrganization,
  ) => {
    const dpassword = canary('dpw');
    const enable = canary('enable');
    const created = await w.audit(
      org,
      {
        job_id: 'job-1',
        ci_id: 'ci-1',
        job_iteration_id: 'it-1',
        error: MARKER,
        task_owner: 'owner',
        client_ip: '10.0.0.1',
        job_type: 'Config Backup',
        job_name: 'nightly',
        process_name: 'backup',
        connection_for: 'backup',
        config_type: 'running',
        uofw: 'u1',
        ...fields,
        dpassword,
        denable_password: enable,
      },
      key,
    );
    entries.push({ id: created.id, dpassword, enable, key });
  };
  await entry({ ipaddress: '10.20.30.40', device_account: 'root', connection_protocol: 'ssh' });
  await entry({ ipaddress: '10.20.30.40', device_account: 'deploy', connection_protocol: 'SSH' });
  await entry({ ipaddress: '10.20.30.40', device_account: 'jump' });
  await entry({ ipaddress: '10.99.4.5', device_account: 'CORP\\cisco', connection_protocol: 'telnet' });
  await entry({ ipaddress: '10.99.4.6', device_account: 'fwd@corp' });
  await entry({ ipaddress: '192.0.2.1', device_account: 'nobody' });
  await entry(
    { ipaddress: '10.20.30.40', device_account: 'root' },
    audit.secondaryKey,
    audit.secondaryOrganization,
  );

  return { accounts, users, audit: entries, operatorId: operator.id };
}
