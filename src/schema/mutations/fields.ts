/**
 * What the write mutations of a PAM collection share besides their resolver: description, typed errors and
 * arguments, as functions of the collection's description. Each mutation is declared by name (accounts.ts,
 * collections.ts) with its own resolver, a one-line call into the write path (src/write/perform.ts).
 */
import type { AnyResource } from '../../resources/describe.js';
import type { PamCollectionClient } from '../../upstream/pam/index.js';
import type { BuilderTypes } from '../builder.js';
import { inputRef } from '../derive.js';
import { errorsOption } from './errors.js';

type MutationBuilder = PothosSchemaTypes.MutationFieldBuilder<BuilderTypes, BuilderTypes['Root']>;

const idArg = (t: MutationBuilder, noun: string) =>
  t.arg.id({ required: true, description: `The ${noun} (global ID or PAM id).` });

export function createOptions(t: MutationBuilder, { resource: r, path }: PamCollectionClient<AnyResource>) {
  return {
    description: `Creates a ${r.noun}: \`POST ${path}\`. Checked by the gateway first; nothing is sent when it fails.`,
    errors: errorsOption(`create${r.name}`, r.noun),
    args: { input: t.arg({ type: inputRef(r), required: true, description: `The whole ${r.noun}.` }) },
  };
}

export function updateOptions(t: MutationBuilder, { resource: r, path }: PamCollectionClient<AnyResource>) {
  return {
    description: `Changes only the given fields of a ${r.noun}: \`PATCH ${path}/:id\`.`,
    errors: errorsOption(`update${r.name}`, r.noun),
    args: {
      id: idArg(t, r.noun),
      input: t.arg({ type: inputRef(r, false), required: true, description: 'The fields to change.' }),
    },
  };
}

export function replaceOptions(t: MutationBuilder, { resource: r, path }: PamCollectionClient<AnyResource>) {
  return {
    description: `Replaces a whole ${r.noun}: \`PUT ${path}/:id\`; omitted optional fields reset to their defaults.`,
    errors: errorsOption(`replace${r.name}`, r.noun),
    args: {
      id: idArg(t, r.noun),
      input: t.arg({ type: inputRef(r), required: true, description: `The whole ${r.noun}.` }),
    },
  };
}

export function deleteOptions(t: MutationBuilder, { resource: r, path }: PamCollectionClient<AnyResource>) {
  return {
    description: `Deletes a ${r.noun}: \`DELETE ${path}/:id\`. Returns its global ID.`,
    errors: errorsOption(`delete${r.name}`, 'deletedId'),
    args: { id: idArg(t, r.noun) },
  };
}
