import { authedProcedure, router } from '../trpc';
import { z } from 'zod';
import {
  changeRole,
  createTeam,
  invite,
  listMembers,
  listTeams,
  removeMember,
  zChangeRole,
  zCreateTeam,
  zInvite,
  zRemoveMember,
  zTeamId,
} from '../../services/team-service';

export const teamsRouter = router({
  list: authedProcedure.query(({ ctx }) => listTeams(ctx.app.db.prisma, ctx.viewer)),
  create: authedProcedure.input(zCreateTeam).mutation(({ ctx, input }) => createTeam(ctx.app.db.prisma, ctx.viewer, input)),
  members: authedProcedure.input(z.object({ teamId: zTeamId })).query(({ ctx, input }) => listMembers(ctx.app.db.prisma, ctx.viewer, input.teamId)),
  invite: authedProcedure.input(zInvite).mutation(({ ctx, input }) => invite(ctx.app.db.prisma, ctx.viewer, input)),
  changeRole: authedProcedure.input(zChangeRole).mutation(async ({ ctx, input }) => {
    await changeRole(ctx.app.db.prisma, ctx.viewer, input);
    return { ok: true };
  }),
  removeMember: authedProcedure.input(zRemoveMember).mutation(async ({ ctx, input }) => {
    await removeMember(ctx.app.db.prisma, ctx.viewer, input);
    return { ok: true };
  }),
});
