import { z } from 'zod';
import { sessionCookie } from '../cookies';
import { authedProcedure, publicProcedure, router, sessionProcedure } from '../trpc';
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  signIn,
  signOut,
  signUp,
  zSignIn,
  zSignUp,
  zTokenName,
  defaultAuthSettings,
} from '../../services/auth-service';

export const authRouter = router({
  signUp: publicProcedure.input(zSignUp).mutation(async ({ ctx, input }) => {
    const grant = await signUp(ctx.app.db.prisma, input, { ...defaultAuthSettings, sessionDays: ctx.app.config.sessionDays });
    ctx.resHeaders.append('set-cookie', sessionCookie(grant.token, grant.expiresAt, ctx.app.config.secureCookies));
    return { user: grant.user };
  }),
  signIn: publicProcedure.input(zSignIn).mutation(async ({ ctx, input }) => {
    const grant = await signIn(ctx.app.db.prisma, input, ctx.ip, { ...defaultAuthSettings, sessionDays: ctx.app.config.sessionDays });
    ctx.resHeaders.append('set-cookie', sessionCookie(grant.token, grant.expiresAt, ctx.app.config.secureCookies));
    return { user: grant.user };
  }),
  signOut: sessionProcedure.mutation(async ({ ctx }) => {
    await signOut(ctx.app.db.prisma, ctx.viewer);
    ctx.resHeaders.append('set-cookie', sessionCookie('', undefined, ctx.app.config.secureCookies));
    return { ok: true };
  }),
  me: publicProcedure.query(({ ctx }) =>
    ctx.viewer ? { id: ctx.viewer.userId, email: ctx.viewer.email, name: ctx.viewer.name, via: ctx.viewer.via } : null,
  ),
});

export const tokensRouter = router({
  list: authedProcedure.query(({ ctx }) => listApiTokens(ctx.app.db.prisma, ctx.viewer)),
  create: sessionProcedure.input(zTokenName).mutation(({ ctx, input }) => createApiToken(ctx.app.db.prisma, ctx.viewer, input.name)),
  revoke: sessionProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    await revokeApiToken(ctx.app.db.prisma, ctx.viewer, input.id);
    return { ok: true };
  }),
});
