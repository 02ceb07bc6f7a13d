/**
 * The GraphQL side of a mutation's expected failures (the classes and where they come from: src/errors.ts),
 * returned as typed results (Pothos errors plugin). Only these classes become results; anything else thrown
 * stays a GraphQL error and is masked.
 */
import { ForbiddenError, type MutationError, NotFoundError, ValidationError } from '../../errors.js';
import type { InputIssue } from '../../write/types.js';
import { builder } from '../builder.js';

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

/** The `errors` option of a mutation field: its result union, payload type and data field. */
export function errorsOption(name: string, dataField: string) {
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  return {
    types: MUTATION_ERRORS,
    union: {
      name: `${pascal}Result`,
      description: `What \`${name}\` returns: its payload, or why nothing was written.`,
    },
    result: { name: `${pascal}Payload`, description: `The outcome of a successful \`${name}\`.` },
    dataField: { name: dataField, description: 'The object as the upstream holds it after the write.' },
  };
}
