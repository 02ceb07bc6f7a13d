/** Password change policies (docs/upstreams.md §1.9): a short, read-only list. */
import { pamId } from './common.js';
import { int, resource, text } from './describe.js';

export const Policy = resource({
  name: 'PasswordChangePolicy',
  noun: 'password change policy',
  description:
    'How often and how strongly an account’s secret is changed. Policy 1 ("Static") never changes it.',
  fields: {
    id: pamId('policy'),
    name: text('name', { readOnly: true, required: true, description: 'Policy name.' }),
    changeFrequency: int('change_frequency', {
      readOnly: true,
      fallback: 0,
      scalar: 'NonNegativeInt',
      description: 'Minutes between changes; 0 means never.',
    }),
    complexityLength: int('complexity_length', {
      readOnly: true,
      fallback: 0,
      scalar: 'NonNegativeInt',
      description: 'Length of generated secrets.',
    }),
  },
});
