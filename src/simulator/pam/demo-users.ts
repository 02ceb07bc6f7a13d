/** Demo users: the two fixed demo users of credentials.ts first (ids 1 and 2), then a realistic mix. */
import { DEMO_CREDENTIALS } from '../credentials.js';
import type { Random } from '../random.js';
import { BLOCK_REASONS, FIRST_NAMES, LAST_NAMES, SERVICE_PURPOSES } from './demo-names.js';
import { demoTimestamp, randomString, weighted } from './demo-random.js';
import type { PamState } from './store.js';
import type { Role, User } from './types.js';

const FIXED_TIME = '2025-01-01T00:00:00.000000+00:00';

/** The users every state has, also the empty one; their API keys are registered too. */
export function insertFixedUsers(state: PamState): void {
  const pam = DEMO_CREDENTIALS.pam;
  const fixed = [
    {
      name: pam.superadminName,
      role: 'superadmin',
      password: pam.superadminPassword,
      token: pam.superadminToken,
    },
    { name: pam.operatorName, role: 'operator', password: pam.operatorPassword, token: pam.operatorToken },
  ] as const;
  for (const { name, role, password, token } of fixed) {
    const user = state.users.insert({
      name,
      role,
      fullName: role === 'superadmin' ? 'Demo Superadmin' : 'Demo Operator',
      email: `${name}@example.com`,
      password,
      blocked: false,
      reason: null,
      createdAt: FIXED_TIME,
      modifiedAt: FIXED_TIME,
    });
    state.apiKeys.set(token, user.id);
  }
}

function personName(rng: Random, state: PamState, role: Role) {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const base = role === 'service' ? `svc-${rng.pick(SERVICE_PURPOSES)}` : `${first[0]}${last}`.toLowerCase();
  let name = base;
  for (let k = 2; state.users.nameTaken(name); k++) name = `${base}${k}`;
  const fullName = role === 'service' ? null : `${first} ${last}`;
  const email = role === 'service' ? null : `${first.toLowerCase()}.${last.toLowerCase()}@example.com`;
  return { name, fullName, email };
}

function demoUser(rng: Random, state: PamState): Omit<User, 'id'> {
  const role = weighted(rng, [
    ['admin', 10],
    ['operator', 25],
    ['user', 55],
    ['service', 10],
  ] as const);
  const blocked = rng.chance(0.04);
  const createdAt = demoTimestamp(rng);
  return {
    ...personName(rng, state, role),
    role,
    password: randomString(rng, 14),
    blocked,
    reason: blocked ? rng.pick(BLOCK_REASONS) : null,
    createdAt,
    modifiedAt: createdAt,
  };
}

export function generateUsers(state: PamState, rng: Random, count: number): void {
  while (state.users.size < count) state.users.insert(demoUser(rng, state));
}
