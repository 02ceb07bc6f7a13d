/**
 * The expected failures of a mutation, returned as typed results (Pothos errors plugin). Only these classes
 * become results; anything else thrown stays a GraphQL error and is masked. Their messages are written by the
 * gateway, or are upstream field messages with every submitted secret redacted (`src/upstream/write-outcome.ts`).
 */
import type { InputIssue } from '../../write/types.js';
import { builder } from '../builder.js';

/** The dedicated base class: a plain `Error` never becomes a result, so no arbitrary message is published. */
export class MutationError extends Error {
  override readonly name: string = 'MutationError';
}

export class ValidationError extends MutationError {
  override readonly name = 'ValidationError';

  constructor(readonly issues: InputIssue[]) {
    super(issues.length === 1 ? 'The input has a problem.' : `The input has ${issues.length} problems.`);
  }
}

export class NotFoundError extends MutationError {
  override readonly name = 'NotFoundError';
}

export class ForbiddenError extends MutationError {
  override readonly name = 'ForbiddenError';
}

const MutationErrorInterface = builder.interfaceRef<MutationError>('MutationError').implement({
  description: 'An expected failure of a mutation. Branch on `__typename`; the message is for people.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, for people.' }),
  }),
});

const InputIssueRef = builder.objectRef<InputIssue>('InputIssue').implement({
  description: 'One problem with a mutation’s input.',
  fields: (t) => ({
    path: t.exposeString('path', {
      description:
        'Dotted path of the argument or input field, e.g. `input.credentials.secret` or `userId`; `input` when ' +
        'the problem concerns the whole input object, and empty when it concerns the whole call (e.g. deleting a ' +
        'server that accounts still use, or an assignment that already exists).',
    }),
    message: t.exposeString('message', { description: 'What is wrong with it.' }),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description:
    'The input breaks a rule: checked by the gateway before anything is sent, or reported by the upstream ' +
    '(uniqueness, references, objects still in use). Nothing was written.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    issues: t.field({ type: [InputIssueRef], description: 'Every problem found.', resolve: (e) => e.issues }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description: 'An object the mutation names does not exist, or is not visible to the caller.',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
});

builder.objectType(ForbiddenError, {
  name: 'ForbiddenError',
  description: 'The caller’s upstream credentials do not permit this write (e.g. a read-only operator).',
  interfaces: [MutationErrorInterface],
  isTypeOf: (value) => value instanceof ForbiddenError,
});

export const MUTATION_ERRORS = [ValidationError, NotFoundError, ForbiddenError];
