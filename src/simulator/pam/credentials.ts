/** The nested `credentials` object of an account (docs/upstreams.md §1.2 AccountCredentialsAttributes). */
import { createHash } from 'node:crypto';
import { compact } from './common.js';
import type { JsonObject } from './errors.js';
import type { FieldReader } from './reader.js';
import type { PamState } from './store.js';
import { type AccountType, type Credentials, METHODS } from './types.js';

/**
 * A stable fingerprint-like stand-in for the public half of a key: the simulator cannot parse arbitrary key
 * material, and clients only need something that changes exactly when the private key does.
 */
export function derivePublicKey(privateKey: string): string {
  const digest = createHash('sha256').update(privateKey).digest('base64').replace(/=+$/, '');
  return `ssh-ed25519 SHA256:${digest}`;
}

/** Missing/null credentials: required for regular and forward, forbidden (non-null) for anonymous. */
function readCredentialsObject(r: FieldReader, type: AccountType | undefined): JsonObject | undefined {
  const value = r.data.credentials;
  if (type === 'anonymous') {
    if (value !== undefined && value !== null)
      r.fail('credentials', 'Must be absent or null for an anonymous account.');
    return undefined;
  }
  if (value === undefined || value === null) {
    if (type) r.fail('credentials', 'This field is required.');
    return undefined;
  }
  return r.object('credentials') ?? undefined;
}

function readPolicyId(state: PamState, c: FieldReader, regular: boolean): number | null {
  const id = c.integer('password_change_policy_id', { required: regular, nullable: !regular }) ?? null;
  if (id !== null && !state.policies.get(id)) {
    c.fail('password_change_policy_id', `Invalid pk "${id}" - object does not exist.`);
  }
  return id;
}

export function parseCredentials(
  state: PamState,
  r: FieldReader,
  type: AccountType | undefined,
): Credentials | null {
  const data = readCredentialsObject(r, type);
  if (!data) return null;
  const c = r.nested('credentials', data);
  const regular = type === 'regular';
  const method = c.choice('method', METHODS, { required: regular, nullable: !regular }) ?? null;
  const needsSecret = method === 'password';
  const needsKey = method === 'ssh-key';
  const privateKey =
    c.string('private_key', { max: 16384, required: needsKey, min: needsKey ? 1 : 0 }) ?? null;
  return {
    domain: c.string('domain', { max: 255 }) ?? '',
    login: c.string('login', { required: true, min: 1, max: 255 }) ?? '',
    method,
    secret: c.string('secret', { max: 1024, required: needsSecret, min: needsSecret ? 1 : 0 }) ?? null,
    privateKey,
    publicKey: privateKey ? derivePublicKey(privateKey) : null,
    policyId: readPolicyId(state, c, regular),
  };
}

/** Stored credentials as a request body, secrets included, for PATCH merges. */
export function credentialsInput(credentials: Credentials): JsonObject {
  return compact({
    domain: credentials.domain,
    login: credentials.login,
    method: credentials.method,
    secret: credentials.secret,
    private_key: credentials.privateKey,
    password_change_policy_id: credentials.policyId,
  });
}

export function serializeCredentials(state: PamState, credentials: Credentials) {
  const policy = credentials.policyId === null ? undefined : state.policies.get(credentials.policyId);
  return {
    domain: credentials.domain,
    login: credentials.login,
    method: credentials.method,
    public_key: credentials.publicKey,
    password_change_policy_id: credentials.policyId,
    password_change_policy: policy ? { id: policy.id, name: policy.name } : null,
  };
}
