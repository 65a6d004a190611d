import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, ZodRealError } from 'zod';
import type { AppContext } from '../app-context';
import { AppError } from '../services/app-error';
import { describeUnsafeJson, findUnsafeJson } from '../validation/safe-json';
import type { Viewer } from '../services/viewer';

/** Per-request context: the app's services, who is asking, and the response headers (for cookies). */
export interface Context {
  app: AppContext;
  viewer: Viewer | null;
  resHeaders: Headers;
  /** The client's address when a trusted proxy reports it. */
  ip: string | undefined;
}

const t = initTRPC.context<Context>().create({
  isDev: false,
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 30_000 } },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      message: error.code === 'INTERNAL_SERVER_ERROR' ? 'internal error' : shape.message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        ...(cause instanceof ZodError ? { zodError: cause.flatten() } : {}),
        ...(cause instanceof AppError && cause.details ? { details: cause.details } : {}),
      },
    };
  },
});

/** The one place where service errors become tRPC errors; anything unexpected is an opaque internal error. */
const errorBoundary = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
    if (result.error.code === 'INTERNAL_SERVER_ERROR') console.error('[pixelwire] internal error:', cause ?? result.error);
  }
  return result;
});

/**
 * Every procedure's raw input, before its zod schema (or anything else that recurses) sees it: strings
 * PostgreSQL cannot store (NUL, lone surrogates) and nesting deeper than maxJsonDepth are a BAD_REQUEST
 * with a field error in the same shape as any other invalid input.
 */
const inputGuard = t.middleware(async ({ getRawInput, next }) => {
  const problem = findUnsafeJson(await getRawInput());
  if (problem) {
    // ZodRealError: the ZodError that is an Error, as parse() throws it (tRPC keeps only Errors as causes).
    const cause = new ZodRealError([{ code: 'custom', path: problem.path, message: describeUnsafeJson({ ...problem, path: problem.path.slice(1) }), input: undefined, params: { reason: problem.code } }]);
    throw new TRPCError({ code: 'BAD_REQUEST', message: describeUnsafeJson(problem), cause });
  }
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(errorBoundary).use(inputGuard);

/** Procedures for signed-in users (cookie) and scripts (API token): ctx.viewer is non-null. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.viewer) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in or send an API token' });
  return next({ ctx: { ...ctx, viewer: ctx.viewer } });
});

/** Procedures only a browser session may call (managing tokens, signing out). */
export const sessionProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.via !== 'session') throw new TRPCError({ code: 'FORBIDDEN', message: 'this needs a signed-in browser session' });
  return next();
});
