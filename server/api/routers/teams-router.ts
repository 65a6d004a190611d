import { authedProcedure, router } from '../trpc';
import { z } from 'zod';
import {
  acceptInvitation,
  cancelInvitation,
  declineInvitation,
  invitationByToken,
  invite,
  myInvitations,
  zCancelInvitation,
  zInvitationRef,
  zInvitationToken,
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
  /** The answer carries the invitation link (`link: '/invitations/<token>'`) once; the token is stored only hashed. */
  invite: authedProcedure.input(zInvite).mutation(({ ctx, input }) => invite(ctx.app.db.prisma, ctx.viewer, input)),
  cancelInvitation: authedProcedure.input(zCancelInvitation).mutation(async ({ ctx, input }) => {
    await cancelInvitation(ctx.app.db.prisma, ctx.viewer, input);
    return { ok: true };
  }),
  myInvitations: authedProcedure.query(({ ctx }) => myInvitations(ctx.app.db.prisma, ctx.viewer)),
  /** What the invitation page shows, to the signed-in addressee holding the link's token (else NOT_FOUND). */
  invitation: authedProcedure.input(zInvitationToken).query(({ ctx, input }) => invitationByToken(ctx.app.db.prisma, ctx.viewer, input.token)),
  /** Joining takes the link's token and the invited address; declining (below) only the id. */
  acceptInvitation: authedProcedure.input(zInvitationToken).mutation(({ ctx, input }) => acceptInvitation(ctx.app.db.prisma, ctx.viewer, input.token)),
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
