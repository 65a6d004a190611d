import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/api/root';

/** What the API returns, as the pages see it. Dates arrive as ISO strings (no transformer), whatever the types say. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Me = NonNullable<RouterOutputs['auth']['me']>;
export type Team = RouterOutputs['teams']['list'][number];
export type GraphSummary = RouterOutputs['graphs']['list']['items'][number];
export type RunSummary = RouterOutputs['runs']['list']['items'][number];
export type RunDetail = RouterOutputs['runs']['get'];
export type ApiToken = RouterOutputs['tokens']['list'][number];
export type Role = Team['role'];
export const roleNames: readonly Role[] = ['viewer', 'runner', 'editor', 'owner'];
