/**
 * Trusted documents: a request names a document of the manifest codegen wrote (test/gql/persisted-documents.json)
 * by `documentId` or Apollo's `extensions.persistedQuery`, on GET and POST, with or without `sha256:`. Answers
 * are compared with the simulator's own data or the same document sent as text; every refusal is checked to
 * have sent no upstream request.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ROUTER_SECRET_HEADER, usePersistedDocuments } from '../../src/plugins/persisted-documents.js';
import * as generated from '../gql/graphql.js';
import { FirstAccountsDocument, type FirstAccountsQuery, NodeByIdDocument } from '../gql/graphql.js';
import { type GraphQLResponse, type Stack, startStack, upstreamGet } from '../support/stack.js';

const ENDPOINT = 'http://pamgraph.test/graphql';
const MANIFEST_PATH = fileURLToPath(new URL('../gql/persisted-documents.json', import.meta.url));
const ROUTER_SECRET = 'router-secret-for-the-tests-0123456789';

/** The settings the gateway reads from the environment, with the manifest codegen wrote. */
function trustedDocumentSettings(mode: 'allow' | 'require') {
  const config = loadConfig({
    PERSISTED_DOCUMENTS: mode,
    PERSISTED_DOCUMENTS_FILE: MANIFEST_PATH,
    ROUTER_SECRET: mode === 'require' ? ROUTER_SECRET : undefined,
  });
  return {
    persistedDocuments: config.persistedDocuments,
    persistedDocumentsManifest: config.persistedDocumentsManifest,
    routerSecret: config.routerSecret,
  };
}

function hashOf(document: TypedDocumentNode<unknown, never> | object): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string')
    throw new Error('a typed document without __meta__.hash: run npm run codegen');
  return hash;
}

const bare = (id: string) => id.replace(/^sha256:/, '');
const sha256Id = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

type Method = 'GET' | 'POST';

/** A raw request: GET parameters (objects as JSON) with the CSRF preflight header, or a JSON POST. */
async function send<T = Record<string, unknown>>(
  stack: Stack,
  method: Method,
  params: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const accept = { accept: 'application/graphql-response+json', ...headers };
  let response: Response;
  if (method === 'GET') {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    response = await stack.gateway.yoga.fetch(`${ENDPOINT}?${search}`, {
      headers: { 'graphql-preflight': '1', ...accept },
    });
  } else {
    response = await stack.gateway.yoga.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...accept },
      body: JSON.stringify(params),
    });
  }
  const text = await response.text();
  return { ...JSON.parse(text), status: response.status, headers: response.headers, text };
}

/** The ways a request names a stored document. */
const FORMS: Record<string, (id: string) => Record<string, unknown>> = {
  'documentId sha256:<hex>': (id) => ({ documentId: id }),
  'documentId <hex>': (id) => ({ documentId: bare(id) }),
  'persistedQuery <hex>': (id) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: bare(id) } } }),
  'persistedQuery sha256:<hex>': (id) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
};

const MATRIX = (['allow', 'require'] as const).flatMap((mode) =>
  (['GET', 'POST'] as const).flatMap((method) => Object.keys(FORMS).map((form) => ({ mode, method, form }))),
);

/** A valid document of this schema that is not in the manifest. */
const UNLISTED = '{ accounts(first: 1) { edges { node { name } } } }';
/** A stored document the schema no longer matches (a manifest older than the gateway): `allow` mode holds it. */
const STALE = 'query Stale { accounts(first: 1) { edges { node { name formerField } } } }';

function withStale<T extends { persistedDocumentsManifest: Record<string, string> | undefined }>(
  settings: T,
): T {
  return {
    ...settings,
    persistedDocumentsManifest: { ...settings.persistedDocumentsManifest, [sha256Id(STALE)]: STALE },
  };
}

let off: Stack;
let allow: Stack;
let required: Stack;
const stacks = () => ({ off, allow, require: required });
/** The first three accounts of the PAM simulator, read directly: the known answer. */
let firstThree: Array<{ pamId: string; name: string }>;

beforeAll(async () => {
  [off, allow, required] = await Promise.all([
    startStack(),
    startStack({ settings: withStale(trustedDocumentSettings('allow')) }),
    startStack({ settings: trustedDocumentSettings('require') }),
  ]);
  const accounts = await upstreamGet<Array<{ id: number; name: string }>>(
    off.sims.pam.url,
    '/api/system/accounts',
    off.sims.credentials.pam.superadminToken,
  );
  firstThree = accounts.slice(0, 3).map((a) => ({ pamId: String(a.id), name: a.name }));
});
afterAll(() => Promise.all([off?.stop(), allow?.stop(), required?.stop()]));
beforeEach(() => {
  for (const stack of [off, allow, required]) stack?.resetRecords();
});

function upstreamRequests(stack: Stack): number {
  return stack.sims.pam.requests.count + stack.sims.audit.requests.count;
}

function accountsOf(res: GraphQLResponse<FirstAccountsQuery>) {
  return res.data?.accounts?.edges.map(({ node }) => ({ pamId: node.pamId, name: node.name }));
}

describe('the manifest codegen writes', () => {
  it('holds every typed document of test/gql under the hash in its __meta__, and that hash is its SHA-256', () => {
    const manifest = trustedDocumentSettings('allow').persistedDocumentsManifest ?? {};
    const documents = Object.entries(generated).filter(
      ([name, value]) => name.endsWith('Document') && typeof value === 'object',
    );
    expect(documents.length).toBeGreaterThanOrEqual(10);
    for (const [name, document] of documents) {
      const id = hashOf(document);
      expect(manifest[id], name).toBeDefined();
      expect(sha256Id(manifest[id] ?? ''), name).toBe(id);
    }
    expect(Object.keys(manifest)).toHaveLength(documents.length);
  });

  it('is refused at start-up when an entry does not hold the document its hash names', () => {
    const manifest = { [hashOf(FirstAccountsDocument)]: UNLISTED };
    const settings = { persistedDocuments: 'require' as const, routerSecret: undefined };
    expect(() => usePersistedDocuments({ ...settings, persistedDocumentsManifest: manifest })).toThrow(
      ConfigError,
    );
    expect(() => usePersistedDocuments({ ...settings, persistedDocumentsManifest: undefined })).toThrow(
      ConfigError,
    );
  });
});

describe('a stored document named by its hash', () => {
  it.each(MATRIX)(
    '$mode mode, $method, $form: runs it and returns its data',
    async ({ mode, method, form }) => {
      const stack = stacks()[mode];
      const naming = FORMS[form]?.(hashOf(FirstAccountsDocument)) ?? {};
      const res = await send<FirstAccountsQuery>(stack, method, { ...naming, variables: { first: 3 } });
      expect(res.errors).toBeUndefined();
      expect(res.status).toBe(200);
      expect(accountsOf(res)).toEqual(firstThree);
      expect(stack.sims.pam.requests.count).toBe(1);
    },
  );

  it('answers exactly what the same document sent as text answers', async () => {
    const byText = await allow.query(FirstAccountsDocument, { first: 5 });
    const byHash = await send(allow, 'POST', {
      documentId: hashOf(FirstAccountsDocument),
      variables: { first: 5 },
    });
    expect(byText.errors).toBeUndefined();
    expect(byHash.data).toEqual(byText.data);
  });

  it('still goes through validation and the query limits (with the variables sent)', async () => {
    const res = await send(required, 'POST', {
      documentId: hashOf(FirstAccountsDocument),
      variables: { first: 100_000 },
    });
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(upstreamRequests(required)).toBe(0);
  });
  it('is validated against the schema before it runs: a stale stored document is refused', async () => {
    const res = await send(allow, 'POST', { documentId: sha256Id(STALE) });
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/formerField/);
    expect(upstreamRequests(allow)).toBe(0);
  });
});

describe('an unknown hash', () => {
  const cases = (['allow', 'require'] as const).flatMap((mode) =>
    (['GET', 'POST'] as const).flatMap((method) =>
      ['documentId sha256:<hex>', 'persistedQuery <hex>'].map((form) => ({ mode, method, form })),
    ),
  );

  it.each(cases)(
    '$mode mode, $method, $form: PERSISTED_QUERY_NOT_FOUND, no upstream request',
    async ({ mode, method, form }) => {
      const stack = stacks()[mode];
      const res = await send(stack, method, FORMS[form]?.(sha256Id(UNLISTED)) ?? {});
      expect(res.status).toBe(400);
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.errors?.[0]?.message).toMatch(/No stored document has this id/);
      expect(upstreamRequests(stack)).toBe(0);
    },
  );

  it('is refused with 200 to a client that accepts only application/json (GraphQL-over-HTTP)', async () => {
    const res = await send(
      required,
      'POST',
      { documentId: sha256Id(UNLISTED) },
      { accept: 'application/json' },
    );
    expect(res.status).toBe(200);
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('is refused when the documentId is not a string, not ignored', async () => {
    const res = await send(allow, 'POST', { documentId: 42 });
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(upstreamRequests(allow)).toBe(0);
  });
});

describe('a document sent as text', () => {
  const text = print(FirstAccountsDocument);

  it.each(['GET', 'POST'] as const)(
    'require mode, %s: PERSISTED_QUERY_ONLY, no upstream request',
    async (method) => {
      const res = await send(required, method, { query: text, variables: { first: 3 } });
      expect(res.status).toBe(400);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
      expect(upstreamRequests(required)).toBe(0);
    },
  );

  it('require mode: refused even beside the hash of a stored document', async () => {
    const res = await send(required, 'POST', {
      query: UNLISTED,
      documentId: hashOf(FirstAccountsDocument),
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    expect(upstreamRequests(required)).toBe(0);
  });

  it('require mode: a request with neither text nor hash is told that only stored documents run', async () => {
    const res = await send(required, 'POST', { variables: { first: 3 } });
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
  });

  it.each(['GET', 'POST'] as const)('allow mode, %s: runs it', async (method) => {
    const res = await send<FirstAccountsQuery>(allow, method, { query: text, variables: { first: 3 } });
    expect(res.errors).toBeUndefined();
    expect(accountsOf(res)).toEqual(firstThree);
  });

  it('allow mode: the text runs when an unknown documentId comes with it (APQ retry)', async () => {
    const res = await send<FirstAccountsQuery>(allow, 'POST', {
      query: text,
      variables: { first: 3 },
      documentId: sha256Id(text),
    });
    expect(res.errors).toBeUndefined();
    expect(accountsOf(res)).toEqual(firstThree);
  });
});

describe('a federation router in require mode', () => {
  const entities =
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { pamId name } } }';
  const variables = () => ({ r: firstThree.map(({ pamId }) => ({ __typename: 'Account', pamId })) });

  it('runs any document when it presents ROUTER_SECRET', async () => {
    const res = await send(
      required,
      'POST',
      { query: entities, variables: variables() },
      { [ROUTER_SECRET_HEADER]: ROUTER_SECRET },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ _entities: firstThree });
  });

  it.each([
    ['a wrong secret of the same length', ROUTER_SECRET.replace(/.$/, '!')],
    ['a prefix of the secret', ROUTER_SECRET.slice(0, 16)],
    ['the secret with a suffix', `${ROUTER_SECRET}x`],
    ['an empty header', ''],
  ])('is refused with %s, as if it had sent none', async (_case, secret) => {
    const res = await send(
      required,
      'POST',
      { query: entities, variables: variables() },
      { [ROUTER_SECRET_HEADER]: secret },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    expect(upstreamRequests(required)).toBe(0);
  });
});

describe('off mode', () => {
  it.each([
    ['POST', 'documentId sha256:<hex>'],
    ['GET', 'documentId <hex>'],
    ['POST', 'persistedQuery <hex>'],
    ['GET', 'persistedQuery sha256:<hex>'],
  ] as const)(
    '%s with %s: PERSISTED_QUERY_NOT_FOUND, even for a hash codegen wrote',
    async (method, form) => {
      const res = await send(off, method, FORMS[form]?.(hashOf(FirstAccountsDocument)) ?? {});
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.errors?.[0]?.message).toMatch(/PERSISTED_DOCUMENTS=off/);
      expect(upstreamRequests(off)).toBe(0);
    },
  );

  it('runs the text of a request that also names a hash (an APQ client’s retry)', async () => {
    const res = await send<FirstAccountsQuery>(off, 'POST', {
      query: print(FirstAccountsDocument),
      variables: { first: 3 },
      documentId: hashOf(FirstAccountsDocument),
      extensions: { persistedQuery: { version: 1, sha256Hash: bare(hashOf(FirstAccountsDocument)) } },
    });
    expect(res.errors).toBeUndefined();
    expect(accountsOf(res)).toEqual(firstThree);
  });
});

describe('a codegen-typed client that sends only hashes', () => {
  /** The smallest typed client: the document's type parameters flow to the result. */
  async function execute<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ): Promise<{ data?: Result | null; errors?: Array<{ extensions?: Record<string, unknown> }> }> {
    const response = await required.gateway.yoga.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ documentId: hashOf(document), variables }),
    });
    return (await response.json()) as never;
  }

  it('gets typed data back from a require-mode gateway, and follows one answer into the next', async () => {
    const page = await execute(FirstAccountsDocument, { first: 3 });
    expect(page.errors).toBeUndefined();
    const first = page.data?.accounts?.edges[0]?.node;
    expect(first && { pamId: first.pamId, name: first.name }).toEqual(firstThree[0]);
    if (!first) throw new Error('no first account');

    const node = await execute(NodeByIdDocument, { id: first.id });
    expect(node.errors).toBeUndefined();
    const account = node.data?.node;
    expect(account?.__typename).toBe('Account');
    expect(account?.__typename === 'Account' ? account.name : undefined).toBe(first.name);
  });
});
