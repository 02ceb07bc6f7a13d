/**
 * Prints the client-facing schema to `schema.graphql`, or with `--check` fails when the committed file
 * differs from what the code builds (the schema-drift check of CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = `${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // A missing file is drift too.
  }
  if (committed !== printed) {
    console.error('schema.graphql is out of date: run `npm run schema:print` and commit the result.');
    process.exit(1);
  }
  console.info('schema.graphql is up to date.');
} else {
  writeFileSync(target, printed);
  console.info(`wrote ${target}`);
}
