/**
 * `Subscription.auditEntryAdded` (issue 12 §5): new audit entries as the upstream records them, over SSE (Yoga's
 * built-in support, the graphql-sse protocol's "distinct connections" mode). The feed itself is src/feed.
 */
import { GatewayError } from '../errors.js';
import type { FeedEvent } from '../feed/audit-feed.js';
import { AuditEntryList } from './audit-lists.js';
import { builder } from './builder.js';
import { predicateOf } from './lists.js';
import { AuditEntryRef } from './refs.js';

builder.subscriptionType({
  description:
    'Live data, over Server-Sent Events (send `Accept: text/event-stream`; the graphql-sse protocol, distinct ' +
    'connections mode).',
});

builder.subscriptionField('auditEntryAdded', (t) =>
  t.field({
    type: AuditEntryRef,
    description:
      'Each audit entry of the caller’s organisation recorded from now on, oldest first, once the gateway has seen it ' +
      '(it reads the head of the log every AUDIT_FEED_INTERVAL_MS). Entries recorded before the subscription are ' +
      'not sent: read them with `auditEntries`. Needs an Audit API key. Each event resolves on its own (fresh ' +
      'loaders and request budget, REQUEST_TIMEOUT_MS). The stream ends with UNAUTHENTICATED when the upstream ' +
      'rejects the caller’s Audit key or PAM credential, which are confirmed again every VIEW_MAX_AGE_MS (events wait ' +
      'while they cannot be), and with FEED_OVERFLOW when the client is still more than 1,000 events behind as more ' +
      'come. At most MAX_SUBSCRIPTIONS_PER_CREDENTIAL streams per credential (TOO_MANY_SUBSCRIPTIONS).',
    args: {
      filter: t.arg({
        type: AuditEntryList.filterRef,
        description: 'Only the entries that meet every condition given.',
      }),
    },
    subscribe: async (_root, args, ctx): Promise<AsyncIterable<FeedEvent>> => {
      const auditCredential = ctx.audit.scope.credential;
      if (auditCredential === undefined) {
        throw new GatewayError(
          'UNAUTHENTICATED',
          `The audit feed needs an Audit API key: send it in the ${ctx.audit.scope.credentialHeader} header.`,
          { upstream: 'audit' },
        );
      }
      if (!ctx.feed) throw new Error('the gateway was built without its audit feed');
      const predicate = args.filter ? await predicateOf(AuditEntryList, args.filter, ctx) : undefined;
      // Starting a stream waits for the upstream (credential checks, the scope's first read, which builds a cold
      // view): it gives its admission place up first, as an operation does before its first upstream call.
      ctx.audit.scope.onSend?.();
      return ctx.feed.subscribe({
        auditCredential,
        pamCredential: ctx.pam.scope.credential,
        sentPam: ctx.pamCredentialSent,
        match: predicate ?? (() => true),
        signal: ctx.requestSignal,
        onEnd: () => ctx.endEvents(),
      });
    },
    resolve: (event, _args, ctx) => {
      if ('error' in event) throw event.error;
      ctx.renewForEvent(ctx);
      return event.entry;
    },
  }),
);
