/**
 * Trusted documents (`PERSISTED_DOCUMENTS`): a request names a document of the manifest by its SHA-256 instead
 * of sending its text, and in `require` mode nothing else runs, so an attacker can only run the operations the
 * frontend teams shipped.
 *
 * Both ways of naming a document are read, on POST and on GET, the hash with or without `sha256:`:
 * - `documentId` (GraphQL-over-HTTP, Appendix A): a top-level field of the JSON body, or the GET parameter.
 *   Yoga's GET parser keeps only query, variables, operationName and extensions, so GET reads it from the URL.
 * - `extensions.persistedQuery.sha256Hash` with `version: 1` (Apollo), in the body or the GET `extensions`.
 *
 * Refusals happen in `onParams`, before parsing: `PERSISTED_QUERY_NOT_FOUND` (unknown hash, or any hash while
 * the mode is `off`) and `PERSISTED_QUERY_ONLY` (text in `require` mode). They are request errors: HTTP 400,
 * or 200 when the client accepts only `application/json`, as the GraphQL-over-HTTP spec asks (Yoga's `spec`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { ConfigError, type PersistedDocumentsMode } from '../config.js';
import type { ErrorCode } from '../errors.js';

/** Header in which a federation router presents `ROUTER_SECRET`. */
export const ROUTER_SECRET_HEADER = 'x-pamgraph-router-secret';

export interface PersistedDocumentsSettings {
  /** `off` (default): text only; `allow`: text or a stored hash; `require`: stored hashes only. */
  persistedDocuments: PersistedDocumentsMode;
  /** Hash (`sha256:<hex>` or bare hex) → document text, as the codegen client preset writes it. */
  persistedDocumentsManifest: Record<string, string> | undefined;
  /** Lets a caller presenting it in ROUTER_SECRET_HEADER send any document in `require` mode. Default unset. */
  routerSecret: string | undefined;
}

const SHA256_PREFIX = 'sha256:';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A document identifier as the manifest is keyed here: bare lower-case hex. */
function normalise(id: string): string {
  const lower = id.toLowerCase();
  return lower.startsWith(SHA256_PREFIX) ? lower.slice(SHA256_PREFIX.length) : lower;
}

/**
 * The manifest keyed by bare hex. Each entry must hold the document its hash names (Appendix A's SHA-256
 * identifier): a client hashing what it sends and a manifest edited by hand would otherwise disagree silently.
 */
function indexManifest(manifest: Record<string, string>): Map<string, string> {
  const index = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest)) {
    const hex = normalise(id);
    if (sha256(document).toString('hex') !== hex) {
      throw new ConfigError(
        `PERSISTED_DOCUMENTS_FILE: the document under "${id}" does not have that SHA-256.`,
      );
    }
    index.set(hex, document);
  }
  return index;
}

/**
 * The document a request names, normalised; undefined when it names none. A `documentId` that is not a
 * string names a document no manifest holds (empty id), so it is refused as not found rather than ignored.
 */
function requestedDocumentId(params: GraphQLParams, request: Request): string | undefined {
  const documentId =
    request.method === 'GET'
      ? new URL(request.url).searchParams.get('documentId')
      : (params as Record<string, unknown>).documentId;
  if (documentId !== undefined && documentId !== null && documentId !== '') {
    return typeof documentId === 'string' ? normalise(documentId) : '';
  }
  const persistedQuery = params.extensions?.persistedQuery as
    | { version?: unknown; sha256Hash?: unknown }
    | undefined;
  if (persistedQuery?.version === 1 && typeof persistedQuery.sha256Hash === 'string') {
    return normalise(persistedQuery.sha256Hash);
  }
  return undefined;
}

function requestError(code: ErrorCode | 'BAD_REQUEST', message: string): GraphQLError {
  // `spec`: 400 for `application/graphql-response+json`, 200 for clients that accept only `application/json`.
  return new GraphQLError(message, { extensions: { code, http: { status: 400, spec: true } } });
}

/**
 * Yoga refuses any parameter it does not know, so once a request with text has been let through, the
 * `documentId` sent beside the text (as APQ clients do when they retry) is dropped: the text is what runs.
 */
function useDropDocumentId(): Plugin {
  return {
    onParams({ params, setParams }) {
      if (!('documentId' in params)) return;
      const { documentId: _ignored, ...rest } = params as GraphQLParams & { documentId?: unknown };
      setParams(rest);
    },
  };
}

/** `off`: text runs as before; a request that names a stored document gets a clear refusal, not Yoga's 400. */
function useNoStoredDocuments(): Plugin {
  return {
    onParams({ params, request }) {
      if (params.query || requestedDocumentId(params, request) === undefined) return;
      // An APQ client retries with the text after this code, which then runs.
      throw requestError(
        'PERSISTED_QUERY_NOT_FOUND',
        'This gateway keeps no stored documents (PERSISTED_DOCUMENTS=off): send the document itself as "query".',
      );
    },
  };
}

/** Whether a request carries the router secret; compared in constant time, both sides hashed to one length. */
function routerSecretCheck(secret: string | undefined): (request: Request) => boolean {
  if (!secret) return () => false;
  const expected = sha256(secret);
  return (request) => {
    const presented = request.headers.get(ROUTER_SECRET_HEADER);
    return presented !== null && timingSafeEqual(sha256(presented), expected);
  };
}

/** The Yoga plugins for PERSISTED_DOCUMENTS; in `off` mode only the one that refuses hashes clearly. */
export function usePersistedDocuments(settings: PersistedDocumentsSettings): Plugin[] {
  const mode = settings.persistedDocuments;
  if (mode === 'off') return [useNoStoredDocuments(), useDropDocumentId()];
  if (!settings.persistedDocumentsManifest) {
    throw new ConfigError(`PERSISTED_DOCUMENTS=${mode} needs PERSISTED_DOCUMENTS_FILE.`);
  }
  const documents = indexManifest(settings.persistedDocumentsManifest);
  const textAllowed = mode === 'allow';
  const notFound = textAllowed
    ? 'No stored document has this id: send the id of a document in the manifest, or the document as "query".'
    : 'No stored document has this id: this gateway runs only the documents in its manifest.';
  const persistedOnly =
    'This gateway runs only stored documents: send the id of a document in its manifest as "documentId".';
  const persisted = usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id) ?? null,
    extractPersistedOperationId: (params, request) => requestedDocumentId(params, request) ?? null,
    // A federation router's `_entities` documents depend on the client query it plans; they cannot be listed.
    allowArbitraryOperations: textAllowed ? true : routerSecretCheck(settings.routerSecret),
    // Validation stays on: a manifest older than the schema fails there, and the query limits run there.
    skipDocumentValidation: false,
    customErrors: {
      notFound: () => requestError('PERSISTED_QUERY_NOT_FOUND', notFound),
      persistedQueryOnly: () => requestError('PERSISTED_QUERY_ONLY', persistedOnly),
      // Neither text nor id: in `allow` mode Yoga's own refusal, in `require` mode the one that says why.
      keyNotFound: () =>
        textAllowed
          ? requestError('BAD_REQUEST', 'Must provide query string.')
          : requestError('PERSISTED_QUERY_ONLY', persistedOnly),
    },
  });
  return [persisted, useDropDocumentId()];
}
