/**
 * Composition of the committed subgraph SDL with Apollo's own composition: no errors, and no hint that points
 * at pamgraph (hints are composition's warnings about shapes that compose but may surprise; the
 * @theguild composition used by the supergraph test has no hints to read).
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { COMMITTED_SUBGRAPH_SDL } from './supergraph.js';
import { TICKETS_SDL } from './tickets-subgraph.js';

describe('Apollo composition of pamgraph with another subgraph', () => {
  it('succeeds with no errors and no hints', () => {
    const result = composeServices([
      { name: 'pamgraph', typeDefs: parse(COMMITTED_SUBGRAPH_SDL), url: 'http://127.0.0.1:1/graphql' },
      { name: 'tickets', typeDefs: parse(TICKETS_SDL), url: 'http://127.0.0.1:2/graphql' },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    // No hint at all today; any future hint must at least not be about pamgraph's types.
    const hints = (result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`);
    expect(hints).toEqual([]);
    expect(result.supergraphSdl).toContain('type Account');
  });

  it('would report a broken subgraph, so the check above can fail', () => {
    // Account's second key names a field that does not exist: composition must refuse it.
    const broken = COMMITTED_SUBGRAPH_SDL.replace(
      'type Account implements Node\n  @key(fields: "id")\n  @key(fields: "pamId")',
      'type Account implements Node\n  @key(fields: "id")\n  @key(fields: "noSuchField")',
    );
    expect(broken).not.toBe(COMMITTED_SUBGRAPH_SDL);
    const result = composeServices([
      { name: 'pamgraph', typeDefs: parse(broken), url: 'http://127.0.0.1:1/graphql' },
      { name: 'tickets', typeDefs: parse(TICKETS_SDL), url: 'http://127.0.0.1:2/graphql' },
    ]);
    expect(result.errors?.length ?? 0).toBeGreaterThan(0);
  });
});
