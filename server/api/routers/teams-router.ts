import { authedProcedure, router } from '../trpc';
import { z } from 'zod';
import {
  acceptInvitation,
  cancelInvitation,
  declineInvitation,
  invite,
  myInvitations,
  zCancelInvitation,
  zInvitationRef,
  zInvite,
} from '../../services/invitation-service';
import {
  changeRole,
  createTeam,
  listMembers,
  listTeams,
  removeMember,
  zChangeRole,
  zCreateTeam,
  zRemoveMember,
  zTeamId,
} from '../../services/team-service';

export const teamsRouter = router({
  list: authedProcedure.query(({ ctx }) => listTeams(ctx.app.db.prisma, ctx.viewer)),
  create: authedProcedure.input(zCreateTeam).mutation(({ ctx, input }) => createTeam(ctx.app.db.prisma, ctx.viewer, input)),
  members: authedProcedure.input(z.object({ teamId: zTeamId })).query(({ ctx, input }) => listMembers(ctx.app.db.prisma, ctx.viewer, input.teamId)),
  invite: authedProcedure.input(zInvite).mutation(({ ctx, input }) => invite(ctx.app.db.prisma, ctx.viewer, input)),
  cancelInvitation: authedProcedure.input(zCancelInvitation).mutation(async ({ ctx, input }) => {
    await cancelInvitation(ctx.app.db.prisma, ctx.viewer, input);
    return { ok: true };
  }),
  myInvitations: authedProcedure.query(({ ctx }) => myInvitations(ctx.app.db.prisma, ctx.viewer)),
  acceptInvitation: authedProcedure.input(zInvitationRef).mutation(({ ctx, input }) => acceptInvitation(ctx.app.db.prisma, ctx.viewer, input.invitationId)),
  declineInvitation: authedProcedure.input(zInvitationRef).mutation(async ({ ctx, input }) => {
    await declineInvitation(ctx.app.db.prisma, ctx.viewer, input.invitationId);
    return { ok: true };
  }),
  changeRole: authedProcedure.input(zChangeRole).mutation(async ({ ctx, input }) => {
    await changeRole(ctx.app.db.prisma, ctx.viewer, input);
    return { ok: true };
  }),
  removeMember: authedProcedure.input(zRemoveMember).mutation(async ({ ctx, input }) => {
    await removeMember(ctx.app.db.prisma, ctx.viewer, input);
    return { ok: true };
  }),
});
