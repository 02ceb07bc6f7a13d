/** Safes (docs/upstreams.md §1.6): what a safe exposes to users, and the access rules that apply. */
import { blockedNeedsReason } from '../write/validate/checks.js';
import { created, modified, NAME, pamId } from './common.js';
import { boolean, choice, enumSpec, int, resource, text } from './describe.js';

export const NoteAccess = enumSpec('NoteAccess', 'What users of a safe may do with session notes.', {
  none: 'No access to notes.',
  read: 'Read notes.',
  write: 'Read and write notes.',
});

export const Safe = resource({
  name: 'Safe',
  noun: 'safe',
  description: 'A safe: a set of accounts exposed to users through listeners, with its access rules.',
  fields: {
    id: pamId('safe'),
    name: text('name', {
      ...NAME,
      required: true,
      filter: true,
      sort: true,
      description: 'Unique safe name.',
    }),
    blocked: boolean('blocked', {
      filter: true,
      fallback: false,
      description: 'Whether the safe is blocked.',
      inputDescription: 'Block the safe; needs a reason.',
    }),
    reason: text('reason', { nullable: true, clearable: true, description: 'Why the safe is blocked.' }),
    loginReason: boolean('login_reason', {
      fallback: false,
      description: 'Whether users must give a reason to connect.',
    }),
    requireConfirmation: boolean('require_confirmation', {
      fallback: false,
      description: 'Whether connections need confirmation.',
    }),
    requiredVotes: int('required_votes', {
      min: 0,
      fallback: 0,
      scalar: 'NonNegativeInt',
      description: 'Confirmations needed.',
    }),
    webclient: boolean('webclient', { fallback: true, description: 'Whether the web client may be used.' }),
    inactivityLimit: int('inactivity_limit', {
      min: 0,
      fallback: 0,
      scalar: 'NonNegativeInt',
      description: 'Minutes of inactivity before a session ends; 0 means off.',
    }),
    timeLimit: int('time_limit', {
      min: 0,
      fallback: 0,
      scalar: 'NonNegativeInt',
      description: 'Session time limit in minutes; 0 means off.',
    }),
    noteAccess: choice('note_access', NoteAccess, {
      fallback: 'none',
      description: 'What users may do with session notes.',
    }),
    createdAt: created,
    modifiedAt: modified,
  },
  rules: blockedNeedsReason,
});
