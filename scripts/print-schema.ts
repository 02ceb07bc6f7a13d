/**
 * Prints the client-facing schema to `schema.graphql` and the Federation subgraph SDL (with its `@link`
 * and `@key` directives, as a router or composition tool reads it) to `subgraph.graphql`. With `--check`,
 * fails when either committed file differs from what the code builds (the schema-drift check of CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSubgraphSchema } from '@apollo/subgraph';
import { printSchema } from 'graphql';
import { schema, subgraphSchema } from '../src/schema/index.js';

const outputs = [
  { file: 'schema.graphql', printed: `${printSchema(schema)}\n` },
  // graphql's printSchema drops directives applied to types; the subgraph printer keeps them.
  { file: 'subgraph.graphql', printed: `${printSubgraphSchema(subgraphSchema)}\n` },
];

const check = process.argv.includes('--check');
let drift = false;
for (const { file, printed } of outputs) {
  const target = fileURLToPath(new URL(`../${file}`, import.meta.url));
  if (!check) {
    writeFileSync(target, printed);
    console.info(`wrote ${target}`);
    continue;
  }
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // A missing file is drift too.
  }
  if (committed === printed) {
    console.info(`${file} is up to date.`);
  } else {
    console.error(`${file} is out of date: run \`npm run schema:print\` and commit the result.`);
    drift = true;
  }
}
if (drift) process.exit(1);
