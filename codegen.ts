/**
 * GraphQL Code Generator: typed documents for the operations the tests (and examples) run, generated from
 * the committed `schema.graphql`. `npm run codegen` writes `test/gql/`; `npm run check` fails on drift.
 *
 * `persistedDocuments` also writes `test/gql/persisted-documents.json`, the trusted-documents manifest of these
 * operations (`sha256:<hex>` → normalised document text, the form PERSISTED_DOCUMENTS_FILE reads), and tags
 * each typed document with the same id in `__meta__.hash`, which a client sends instead of the text.
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
      presetConfig: {
        fragmentMasking: false,
        // SHA-256 of the normalised text, `sha256:`-prefixed: the GraphQL-over-HTTP document identifier.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', ID: 'string' },
      },
    },
  },
};

export default config;
