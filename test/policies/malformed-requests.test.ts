/**
 * Malformed requests are the client's mistake: a clear 400 with `BAD_REQUEST`, never `INTERNAL`, and never an
 * echo of the body (Node's JSON parser quotes the start of the text it failed on, which may hold a secret).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../support/stack.js';

const CANARY = 'canary-password-7d1f3b';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());
beforeEach(() => stack.resetRecords());

async function expectBadRequest(res: Response): Promise<void> {
  const text = await res.text();
  const body = JSON.parse(text) as {
    errors: Array<{ message: string; extensions: Record<string, unknown> }>;
  };
  expect(res.status).toBe(400);
  expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
  expect(body.errors[0]?.extensions).not.toHaveProperty('originalError');
  expect(text).not.toContain(CANARY);
  expect(stack.logs.text).not.toContain(CANARY);
  expect(stack.sims.pam.requests.count + stack.sims.audit.requests.count).toBe(0);
}

describe('malformed requests', () => {
  it('a POST body that is not JSON: 400 BAD_REQUEST without an echo of the body', async () => {
    const body = `{"query":"mutation { createUser(input: {name: \\"x\\", password: \\"${CANARY}\\"}) { __typename } }",`;
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      await expectBadRequest(
        await stack.gateway.yoga.fetch('http://pamgraph.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept },
          body: `${CANARY}${body}`,
        }),
      );
    }
  });

  for (const parameter of ['variables', 'extensions']) {
    it(`a GET whose ${parameter} is not JSON: 400 BAD_REQUEST, not INTERNAL`, async () => {
      const url = `http://pamgraph.test/graphql?query=${encodeURIComponent('{ __typename }')}&${parameter}=${encodeURIComponent(`{"password": ${CANARY}`)}`;
      await expectBadRequest(await stack.gateway.yoga.fetch(url, { headers: { 'graphql-preflight': '1' } }));
    });
  }
});
