'use client';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { maxTrpcBatchSize } from '../../server/api/limits';
import type { AppRouter } from '../../server/api/root';
import { appRequestHeaders } from '../../server/http/app-request';

/**
 * The browser's tRPC client: queries and mutations batched over HTTP (at most maxTrpcBatchSize calls a request, the
 * server's limit) with the app's request header (the server refuses cookie-authenticated mutations without it or
 * JSON), subscriptions over server-sent events.
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/api/trpc' }),
      false: httpBatchLink({ url: '/api/trpc', maxItems: maxTrpcBatchSize, headers: () => ({ ...appRequestHeaders }) }),
    }),
  ],
});
