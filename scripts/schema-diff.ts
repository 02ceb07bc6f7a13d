/**
 * Compares two SDL files for a refactoring: breaking and dangerous changes (graphql's findBreakingChanges and
 * findDangerousChanges, old → new), then whether they print identically once descriptions are stripped, with
 * the types and fields whose order differs. Usage: `tsx scripts/schema-diff.ts before.graphql after.graphql`.
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  parse,
  print,
  visit,
} from 'graphql';

function stripped(sdl: string): string {
  const ast = visit(parse(sdl), {
    enter(node) {
      if ('description' in node && node.description) return { ...node, description: undefined };
      return undefined;
    },
  });
  return print(ast);
}

function memberOrder(schema: GraphQLSchema): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))
      out.set(type.name, Object.keys(type.getFields()));
    else if (isEnumType(type))
      out.set(
        type.name,
        type.getValues().map((v) => v.name),
      );
  }
  return out;
}

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) throw new Error('usage: schema-diff.ts before.graphql after.graphql');
const before = readFileSync(beforeFile, 'utf8');
const after = readFileSync(afterFile, 'utf8');
const oldSchema = buildSchema(before, { assumeValidSDL: true });
const newSchema = buildSchema(after, { assumeValidSDL: true });

const breaking = findBreakingChanges(oldSchema, newSchema);
const dangerous = findDangerousChanges(oldSchema, newSchema);
console.info(`breaking changes: ${breaking.length}`);
for (const c of breaking) console.info(`  ${c.type}: ${c.description}`);
console.info(`dangerous changes: ${dangerous.length}`);
for (const c of dangerous) console.info(`  ${c.type}: ${c.description}`);

const identical = stripped(before) === stripped(after);
console.info(`prints identically without descriptions: ${identical}`);
const sortedSame =
  stripped(print(parse(printSorted(oldSchema)))) === stripped(print(parse(printSorted(newSchema))));
console.info(`identical without descriptions once types and fields are sorted: ${sortedSame}`);

const oldOrder = memberOrder(oldSchema);
const newOrder = memberOrder(newSchema);
const oldTypes = [...oldOrder.keys()];
const newTypes = [...newOrder.keys()];
if (oldTypes.join() !== newTypes.join()) console.info('type declaration order differs');
for (const [name, fields] of oldOrder) {
  const now = newOrder.get(name);
  if (now && now.join() !== fields.join())
    console.info(`member order differs in ${name}:\n  was ${fields.join(' ')}\n  now ${now.join(' ')}`);
}

function printSorted(schema: GraphQLSchema): string {
  // printSchema is not imported at the top to keep the sorted comparison in one place.
  return printSchemaOf(lexicographicSortSchema(schema));
}

import { printSchema as printSchemaOf } from 'graphql';

if (breaking.length > 0 || dangerous.length > 0) process.exitCode = 1;
