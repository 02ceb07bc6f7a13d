/**
 * Scalars: graphql-scalars where one fits the data, and `ClockDuration` for the PAM API's `hh:mm:ss`
 * durations (graphql-scalars' LocalTime stops at 23:59:59, but a checkout limit may be 36 hours).
 */
import { GraphQLError, Kind } from 'graphql';
import {
  DateTimeResolver,
  IPResolver,
  NonNegativeIntResolver,
  PortResolver,
  PositiveIntResolver,
} from 'graphql-scalars';
import { builder } from './builder.js';

builder.addScalarType('DateTime', DateTimeResolver, {});
builder.addScalarType('IP', IPResolver, {});
builder.addScalarType('Port', PortResolver, {});
builder.addScalarType('NonNegativeInt', NonNegativeIntResolver, {});
builder.addScalarType('PositiveInt', PositiveIntResolver, {});

const CLOCK = /^(\d{2,}):([0-5]\d):([0-5]\d)$/;

function parseClock(value: unknown): string {
  if (typeof value !== 'string' || !CLOCK.test(value)) {
    throw new GraphQLError('A ClockDuration is a string "hh:mm:ss" (hours may exceed 23).');
  }
  return value;
}

builder.scalarType('ClockDuration', {
  description:
    'A duration written `hh:mm:ss`, as the PAM API does; hours may exceed 23 (e.g. `36:00:00`). ' +
    'Chosen over LocalTime, which is a time of day and stops at 23:59:59.',
  serialize: (value) => parseClock(value),
  parseValue: (value) => parseClock(value),
  parseLiteral: (ast) => parseClock(ast.kind === Kind.STRING ? ast.value : null),
});
