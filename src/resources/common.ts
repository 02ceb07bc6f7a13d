/** Fields and bounds several PAM resources share (docs/upstreams.md §1.1). */
import { int, text } from './describe.js';

/** Names are unique per collection and 1..255 characters. */
export const NAME = { min: 1, max: 255 } as const;
export const PORT = { min: 1, max: 65535 } as const;

/** The PAM id of an object, exposed as `pamId` beside the global `id`. */
export function pamId(noun: string) {
  return int('id', {
    readOnly: true,
    required: true,
    scalar: 'ID',
    outputName: 'pamId',
    description: `The ${noun}’s id in the PAM API.`,
  });
}

export const created = text('created_at', {
  readOnly: true,
  nullable: true,
  scalar: 'DateTime',
  description: 'When it was created.',
});

export const modified = text('modified_at', {
  readOnly: true,
  nullable: true,
  scalar: 'DateTime',
  description: 'When it last changed.',
});
