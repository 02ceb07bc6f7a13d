/** docs/upstreams.md §1.9 password change policies: a read-only collection. */
import type { Readable } from './crud.js';
import type { Policy } from './types.js';

export function serializePolicy(policy: Policy) {
  return {
    id: policy.id,
    name: policy.name,
    change_frequency: policy.changeFrequency,
    complexity_length: policy.complexityLength,
  };
}

export const policies: Readable<Policy> = {
  table: (state) => state.policies,
  serialize: (_state, policy) => serializePolicy(policy),
};

/** Policy 1 exists in every state, the empty one included. */
export const STATIC_POLICY: Omit<Policy, 'id'> = { name: 'Static', changeFrequency: 0, complexityLength: 0 };
