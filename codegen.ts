/**
 * GraphQL Code Generator: typed documents for the operations the tests (and examples) run, generated from
 * the committed `schema.graphql`. `npm run codegen` writes `test/gql/`; `npm run check` fails on drift.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // NodeNext resolution needs the .js suffix on relative imports of the generated files.
  importExtension: '.js',
  schema: './schema.graphql',
  documents: ['test/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', ID: 'string' },
      },
    },
  },
};

export default config;
