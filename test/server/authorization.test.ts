import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../../server/api/root';
import { zipStored } from '../../server/util/zip';
import { addToTeam, clientFor, codeOf, invitationToken, readSse, signedUpClient, startTestServer, type TestClient, type TestServer } from '../helpers/server-harness';
import { blurGraph, noisyPng, solidPng, subscribeRunEvents, upload, type UploadedFile } from './server-fixtures';

/**
 * Who may call what: every tRPC procedure and every HTTP route, called by six
 * personas against one team-owned graph — anonymous, a signed-up stranger, and the
 * team's viewer, runner, editor and owner. The whole table runs twice: with
 * browser sessions, and with API tokens (plus a revoked token, which must be
 * exactly as powerless as no credentials at all).
 */

type Role = 'viewer' | 'runner' | 'editor' | 'owner';
type Persona = 'anonymous' | 'stranger' | Role;
type Via = 'session' | 'token';
type Outcome = string | number;
type Row = Record<Persona, Outcome>;
type User = Awaited<ReturnType<typeof signedUpClient>>;

interface Actor {
  /** 'revoked': an API token of the team owner that was revoked. */
  persona: Persona | 'revoked';
  via: Via;
  /** What the calls go through: a session cookie, a Bearer token, or nothing. */
  client: TestClient;
  /** Who the server should take the caller for; undefined when it should see nobody. */
  user?: User;
}

interface Case {
  name: string;
  expect: Row;
  /** Only a browser session may do this: token callers get FORBIDDEN. */
  sessionOnly?: boolean;
  call: (actor: Actor) => Promise<Outcome>;
}

const OK = 'OK';
const U = 'UNAUTHORIZED';
const F = 'FORBIDDEN';
const N = 'NOT_FOUND';
const personas: Persona[] = ['anonymous', 'stranger', 'viewer', 'runner', 'editor', 'owner'];
/** One row of the matrix, in the order of `personas`. */
const row = (...outcomes: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]): Row =>
  Object.fromEntries(personas.map((p, i) => [p, outcomes[i]])) as Row;
const password = 'correct horse battery';

let server: TestServer;
let users: Record<'stranger' | Role | 'extra', User>;
let teamId: string;
let teamFile: UploadedFile;
let runnerFile: UploadedFile;
let strangerFile: UploadedFile;
let graphId: string;
let runId: string;
/** An output of `runId`, and one of another run the owner can read, of his own graph. */
let runOutput: string;
let otherRunOutput: string;
let loadsStrangersImage: string;
let takesImageInput: string;
let extraTokenId: string;
let revokedToken: string;
let tinyPng: Buffer;
const actors = {} as Record<Via, Actor[]>;

const raw = (path: string) => `/api/trpc/${path}`;
const pngBody = (): RequestInit => ({ method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(tinyPng) });

/** The status of a response, its body read so the connection is free again. */
async function status(response: Promise<Response>): Promise<number> {
  const r = await response;
  await r.arrayBuffer();
  return r.status;
}

/** A server-sent event stream's status; a 200 must also run to its `end` event. */
async function sseStatus(response: Promise<Response>): Promise<Outcome> {
  const r = await response;
  if (r.status !== 200) return status(Promise.resolve(r));
  const events = await readSse(r, (e) => e.event === 'end');
  return events.at(-1)?.event === 'end' ? 200 : 'stream without end';
}

/** OK (or what `ok` makes of the result) when the call succeeds, else its tRPC error code. */
async function outcome<T>(call: Promise<T>, ok: (value: T) => Outcome): Promise<Outcome> {
  let result: Outcome = OK;
  const code = await codeOf(call.then((value) => (result = ok(value))));
  return code === OK ? result : code;
}

/** OK when a share's answer names exactly these images, else what it named. */
function namesOutcome(opened: object, expected: { sha256: string; fileName: string }[]): Outcome {
  const names = 'imageNames' in opened ? opened.imageNames : undefined;
  return JSON.stringify(names) === JSON.stringify(expected) ? OK : `named ${JSON.stringify(names)}`;
}

/** A tRPC mutation over raw HTTP, so that a sign-in or sign-up cannot replace the actor's own cookie. */
async function rawMutation(actor: Actor, path: string, input: unknown): Promise<Outcome> {
  const r = await actor.client.fetch(raw(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await r.json()) as { error?: { data: { code: string } } };
  return r.ok ? OK : body.error!.data.code;
}

/** A graph of the team that nothing else touches (for saves, renames, restores, deletes). */
async function freshGraph(): Promise<string> {
  const { graph } = await users.owner.trpc.graphs.create.mutate({ name: 'scratch', teamId, document: blurGraph(teamFile.sha256) });
  return graph.id;
}

/** A team like the main one (owner, editor, runner, viewer) plus `extra` as a viewer, for member changes. */
async function freshTeam(): Promise<string> {
  const team = await users.owner.trpc.teams.create.mutate({ name: 'scratch team' });
  for (const role of ['editor', 'runner', 'viewer'] as const) await addToTeam(users.owner, users[role], team.id, role);
  await addToTeam(users.owner, users.extra, team.id, 'viewer');
  return team.id;
}

let emails = 0;
const freshEmail = () => `new-${process.pid}-${++emails}@example.com`;

/** A pending invitation to a new team of `from` (which nobody else is in), addressed to `email`: its id and the token of its link. */
async function invitation(from: User, email: string): Promise<{ id: string; token: string }> {
  const team = await from.trpc.teams.create.mutate({ name: 'inviting' });
  const { invitation: created, link } = await from.trpc.teams.invite.mutate({ teamId: team.id, email, role: 'runner' });
  return { id: created.id, token: invitationToken(link) };
}
/** One for the caller (for anonymous: an address without an account). */
const invitationForCaller = (a: Actor) => invitation(users.extra, a.user?.email ?? freshEmail());
/** One for extra, which no persona may act on. */
const invitationForExtra = () => invitation(users.owner, users.extra.email);

/** A batch of one item that `who` starts through a fresh run link of the team graph. */
async function linkBatch(who: User): Promise<string> {
  const { token } = await users.owner.trpc.shares.create.mutate({ graphId, kind: 'run' });
  return (await who.trpc.shares.runBatch.mutate({ token, items: [{ inputs: {} }] })).batch.id;
}
/** A batch of one item that the owner starts on the team graph. */
const ownersBatch = async () => (await users.owner.trpc.runs.startBatch.mutate({ graphId, items: [{ inputs: {} }] })).batch.id;

const cases: Case[] = [
  // auth and tokens
  {
    name: 'auth.me (names the caller and how they came)',
    expect: row(OK, OK, OK, OK, OK, OK),
    call: async (a) => {
      const me = await a.client.trpc.auth.me.query();
      const want = a.user ? { id: a.user.userId, via: a.via } : null;
      return JSON.stringify(me && { id: me.id, via: me.via }) === JSON.stringify(want) ? OK : `me=${JSON.stringify(me)}`;
    },
  },
  { name: 'auth.signUp (a new account)', expect: row(OK, OK, OK, OK, OK, OK), call: (a) => rawMutation(a, 'auth.signUp', { email: freshEmail(), password, name: 'New' }) },
  { name: 'auth.signIn (as extra)', expect: row(OK, OK, OK, OK, OK, OK), call: (a) => rawMutation(a, 'auth.signIn', { email: users.extra.email, password }) },
  {
    name: 'auth.signOut (a fresh session of the caller)',
    expect: row(U, OK, OK, OK, OK, OK),
    sessionOnly: true,
    call: async (a) => {
      let client = a.client;
      if (a.via === 'session' && a.user) {
        client = clientFor(server);
        await client.trpc.auth.signIn.mutate({ email: a.user.email, password });
      }
      return codeOf(client.trpc.auth.signOut.mutate());
    },
  },
  { name: 'tokens.list', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.tokens.list.query()) },
  { name: 'tokens.create', expect: row(U, OK, OK, OK, OK, OK), sessionOnly: true, call: (a) => codeOf(a.client.trpc.tokens.create.mutate({ name: 'matrix' })) },
  {
    name: 'tokens.revoke (a fresh token of the caller)',
    expect: row(U, OK, OK, OK, OK, OK),
    sessionOnly: true,
    call: async (a) => {
      const own = a.user ? await a.user.trpc.tokens.create.mutate({ name: 'to revoke' }) : { id: extraTokenId };
      return codeOf(a.client.trpc.tokens.revoke.mutate({ id: own.id }));
    },
  },
  { name: "tokens.revoke (extra's token)", expect: row(U, N, N, N, N, N), sessionOnly: true, call: (a) => codeOf(a.client.trpc.tokens.revoke.mutate({ id: extraTokenId })) },

  // graphs
  {
    name: 'graphs.list (is the team graph listed?)',
    expect: row(U, 'unlisted', 'listed', 'listed', 'listed', 'listed'),
    call: (a) => outcome(a.client.trpc.graphs.list.query({}), ({ items }) => (items.some((g) => g.id === graphId) ? 'listed' : 'unlisted')),
  },
  {
    name: 'graphs.get (answers with the caller’s role)',
    expect: row(U, N, OK, OK, OK, OK),
    call: (a) => outcome(a.client.trpc.graphs.get.query({ graphId }), ({ role }) => (role === a.persona ? OK : `role=${role}`)),
  },
  { name: 'graphs.versions', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.graphs.versions.query({ graphId })) },
  { name: 'graphs.create (own)', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.graphs.create.mutate({ name: 'mine' })) },
  { name: 'graphs.create (in the team)', expect: row(U, N, F, F, OK, OK), call: (a) => codeOf(a.client.trpc.graphs.create.mutate({ name: 'ours', teamId })) },
  {
    name: 'graphs.save',
    expect: row(U, N, F, F, OK, OK),
    call: async (a) => codeOf(a.client.trpc.graphs.save.mutate({ graphId: await freshGraph(), baseVersion: 1, document: blurGraph(teamFile.sha256, 3) })),
  },
  { name: 'graphs.update', expect: row(U, N, F, F, OK, OK), call: async (a) => codeOf(a.client.trpc.graphs.update.mutate({ graphId: await freshGraph(), name: 'renamed' })) },
  { name: 'graphs.restore', expect: row(U, N, F, F, OK, OK), call: async (a) => codeOf(a.client.trpc.graphs.restore.mutate({ graphId: await freshGraph(), number: 1, baseVersion: 1 })) },
  // Anyone who may read a graph may fork it into their own space.
  { name: 'graphs.duplicate (into own space)', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.graphs.duplicate.mutate({ graphId })) },
  { name: 'graphs.duplicate (into the team)', expect: row(U, N, F, F, OK, OK), call: (a) => codeOf(a.client.trpc.graphs.duplicate.mutate({ graphId, teamId })) },
  { name: 'graphs.move (team → own space)', expect: row(U, N, F, F, F, OK), call: async (a) => codeOf(a.client.trpc.graphs.move.mutate({ graphId: await freshGraph(), teamId: null })) },
  { name: 'graphs.diff', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.graphs.diff.query({ graphId, from: 1, to: 1 })) },
  { name: 'graphs.delete', expect: row(U, N, F, F, F, OK), call: async (a) => codeOf(a.client.trpc.graphs.delete.mutate({ graphId: await freshGraph() })) },

  // runs
  { name: 'runs.start', expect: row(U, N, F, OK, OK, OK), call: (a) => codeOf(a.client.trpc.runs.start.mutate({ graphId })) },
  {
    // A runner may run the canvas with changed params without write access; the run keeps its document.
    name: 'runs.start (with an edited document)',
    expect: row(U, N, F, OK, OK, OK),
    call: (a) => codeOf(a.client.trpc.runs.start.mutate({ graphId, document: blurGraph(teamFile.sha256, 5) })),
  },
  {
    name: "runs.start (image.load of the stranger's upload)",
    expect: row(U, N, F, 'FORBIDDEN on load', 'FORBIDDEN on load', 'FORBIDDEN on load'),
    call: async (a) => {
      try {
        await a.client.trpc.runs.start.mutate({ graphId: loadsStrangersImage });
        return OK;
      } catch (error) {
        if (!(error instanceof TRPCClientError)) throw error;
        const problem = (error.data?.details as { validationErrors?: { nodeId: string; code: string }[] } | undefined)?.validationErrors?.[0];
        return problem ? `${error.data.code} on ${problem.nodeId}` : String(error.data?.code);
      }
    },
  },
  {
    // Refused like an id that does not exist, so the answer says nothing about someone else's upload.
    name: "runs.start (image input = the stranger's artifact)",
    expect: row(U, N, F, 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST'),
    call: (a) => codeOf(a.client.trpc.runs.start.mutate({ graphId: takesImageInput, inputs: { photo: strangerFile.id } })),
  },
  // share links: editors make, list and revoke them
  { name: 'shares.create', expect: row(U, N, F, F, OK, OK), call: (a) => codeOf(a.client.trpc.shares.create.mutate({ graphId, kind: 'view' })) },
  { name: 'shares.list', expect: row(U, N, F, F, OK, OK), call: (a) => codeOf(a.client.trpc.shares.list.query({ graphId })) },
  {
    name: 'shares.revoke',
    expect: row(U, N, F, F, OK, OK),
    call: async (a) => {
      const { link } = await users.owner.trpc.shares.create.mutate({ graphId, kind: 'run' });
      return codeOf(a.client.trpc.shares.revoke.mutate({ id: link.id }));
    },
  },
  {
    // The token is the permission: anyone holding a view link sees the graph, no account needed.
    name: 'shares.open (view link)',
    expect: row(OK, OK, OK, OK, OK, OK),
    call: async (a) => {
      const { token } = await users.owner.trpc.shares.create.mutate({ graphId, kind: 'view' });
      return codeOf(a.client.trpc.shares.open.query({ token }));
    },
  },
  {
    // It names the images its document reads, from the team's uploads: the same for everyone holding the link.
    name: 'shares.open (view link) names its images',
    expect: row(OK, OK, OK, OK, OK, OK),
    call: async (a) => {
      const { token } = await users.owner.trpc.shares.create.mutate({ graphId, kind: 'view' });
      return outcome(a.client.trpc.shares.open.query({ token }), (v) => namesOutcome(v, [{ sha256: teamFile.sha256, fileName: 'team-photo.png' }]));
    },
  },
  {
    // Never a name from someone else's upload: the stranger's image a team graph loads stays nameless.
    name: "shares.open (view link) never names a stranger's upload",
    expect: row(OK, OK, OK, OK, OK, OK),
    call: async (a) => {
      const { token } = await users.owner.trpc.shares.create.mutate({ graphId: loadsStrangersImage, kind: 'view' });
      return outcome(a.client.trpc.shares.open.query({ token }), (v) => namesOutcome(v, []));
    },
  },
  {
    // A run link runs the graph for any signed-in user, strangers included.
    name: 'shares.run (run link)',
    expect: row(U, OK, OK, OK, OK, OK),
    call: async (a) => {
      const { token } = await users.owner.trpc.shares.create.mutate({ graphId, kind: 'run' });
      return codeOf(a.client.trpc.shares.run.mutate({ token }));
    },
  },
  {
    // Batches through a run link: the same people as single runs, every item counted.
    name: 'shares.runBatch (run link)',
    expect: row(U, OK, OK, OK, OK, OK),
    call: async (a) => {
      const { token } = await users.owner.trpc.shares.create.mutate({ graphId, kind: 'run' });
      return codeOf(a.client.trpc.shares.runBatch.mutate({ token, items: [{ inputs: {} }, { inputs: {} }] }));
    },
  },
  {
    // Whoever started a batch through a run link follows it; the graph's members see it like any batch of theirs.
    name: "batches.get (the stranger's batch through a run link)",
    expect: row(U, OK, OK, OK, OK, OK),
    call: async (a) => codeOf(a.client.trpc.batches.get.query({ batchId: await linkBatch(users.stranger) })),
  },
  { name: "batches.get (extra's batch through a run link)", expect: row(U, N, OK, OK, OK, OK), call: async (a) => codeOf(a.client.trpc.batches.get.query({ batchId: await linkBatch(users.extra) })) },
  {
    name: "batches.cancel (the stranger's batch through a run link)",
    expect: row(U, OK, F, OK, OK, OK),
    call: async (a) => codeOf(a.client.trpc.batches.cancel.mutate({ batchId: await linkBatch(users.stranger) })),
  },
  { name: 'runs.startBatch', expect: row(U, N, F, OK, OK, OK), call: (a) => codeOf(a.client.trpc.runs.startBatch.mutate({ graphId, items: [{ inputs: {} }] })) },
  {
    name: 'batches.get',
    expect: row(U, N, OK, OK, OK, OK),
    call: async (a) => {
      const { batch } = await users.owner.trpc.runs.startBatch.mutate({ graphId, items: [{ inputs: {} }] });
      return codeOf(a.client.trpc.batches.get.query({ batchId: batch.id }));
    },
  },
  {
    name: 'batches.cancel',
    expect: row(U, N, F, OK, OK, OK),
    call: async (a) => {
      const { batch } = await users.owner.trpc.runs.startBatch.mutate({ graphId, items: [{ inputs: {} }] });
      return codeOf(a.client.trpc.batches.cancel.mutate({ batchId: batch.id }));
    },
  },
  { name: 'runs.cancel', expect: row(U, N, F, OK, OK, OK), call: (a) => codeOf(a.client.trpc.runs.cancel.mutate({ runId })) },
  { name: 'runs.get', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.runs.get.query({ runId })) },
  { name: 'runs.savedFiles', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.runs.savedFiles.query({ runId })) },
  { name: 'runs.list', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.runs.list.query({ graphId })) },
  {
    name: 'runs.events (tRPC subscription over SSE)',
    expect: row(U, N, OK, OK, OK, OK),
    call: (a) =>
      subscribeRunEvents(a.client, { runId }).then(
        (events) => (events.at(-1)?.event.type === 'run.finished' ? OK : 'stream without run.finished'),
        (error: { data?: { data?: { code?: string } } }) => error.data?.data?.code ?? String(error),
      ),
  },

  // teams
  {
    name: 'teams.list (is the team listed?)',
    expect: row(U, 'unlisted', 'listed', 'listed', 'listed', 'listed'),
    call: (a) => outcome(a.client.trpc.teams.list.query(), (teams) => (teams.some((t) => t.id === teamId) ? 'listed' : 'unlisted')),
  },
  { name: 'teams.create', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.teams.create.mutate({ name: 'another' })) },
  { name: 'teams.members', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.teams.members.query({ teamId })) },
  { name: 'teams.invite', expect: row(U, N, F, F, F, OK), call: (a) => codeOf(a.client.trpc.teams.invite.mutate({ teamId, email: freshEmail(), role: 'viewer' })) },
  {
    name: 'teams.cancelInvitation',
    expect: row(U, N, F, F, F, OK),
    call: async (a) => {
      const { invitation: pending } = await users.owner.trpc.teams.invite.mutate({ teamId, email: freshEmail(), role: 'viewer' });
      return codeOf(a.client.trpc.teams.cancelInvitation.mutate({ teamId, invitationId: pending.id }));
    },
  },
  {
    name: "teams.myInvitations (the caller's own, never extra's)",
    expect: row(U, OK, OK, OK, OK, OK),
    call: async (a) => {
      const [mine, extras] = await Promise.all([invitationForCaller(a), invitationForExtra()]);
      return outcome(a.client.trpc.teams.myInvitations.query(), (list) => {
        const ids = list.map((i) => i.id);
        return ids.includes(mine.id) && !ids.includes(extras.id) ? OK : `listed ${JSON.stringify(ids)}`;
      });
    },
  },
  {
    name: 'teams.invitation (own, by its link: team and role)',
    expect: row(U, 'runner', 'runner', 'runner', 'runner', 'runner'),
    call: async (a) => outcome(a.client.trpc.teams.invitation.query({ token: (await invitationForCaller(a)).token }), ({ team, role }) => (team.name === 'inviting' ? role : team.name)),
  },
  {
    // Holding extra's link is not enough: the caller's address must be the invited one.
    name: "teams.invitation (extra's link)",
    expect: row(U, N, N, N, N, N),
    call: async (a) => codeOf(a.client.trpc.teams.invitation.query({ token: (await invitationForExtra()).token })),
  },
  {
    name: 'teams.acceptInvitation (own, with its link: joins with the invited role)',
    expect: row(U, 'runner', 'runner', 'runner', 'runner', 'runner'),
    call: async (a) => outcome(a.client.trpc.teams.acceptInvitation.mutate({ token: (await invitationForCaller(a)).token }), ({ role }) => role),
  },
  {
    // The addressee's own invitation without its link: the id is not an input, signing up joined nothing.
    name: 'teams.acceptInvitation (own, by id, without the link)',
    expect: row(U, 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST', 'BAD_REQUEST'),
    call: async (a) => codeOf(a.client.trpc.teams.acceptInvitation.mutate({ invitationId: (await invitationForCaller(a)).id } as never)),
  },
  {
    // Even the owner who sent it, holding its link: only the addressee may accept.
    name: "teams.acceptInvitation (extra's, with its link)",
    expect: row(U, N, N, N, N, N),
    call: async (a) => codeOf(a.client.trpc.teams.acceptInvitation.mutate({ token: (await invitationForExtra()).token })),
  },
  {
    name: 'teams.declineInvitation (own)',
    expect: row(U, OK, OK, OK, OK, OK),
    call: async (a) => codeOf(a.client.trpc.teams.declineInvitation.mutate({ invitationId: (await invitationForCaller(a)).id })),
  },
  {
    name: "teams.declineInvitation (extra's)",
    expect: row(U, N, N, N, N, N),
    call: async (a) => codeOf(a.client.trpc.teams.declineInvitation.mutate({ invitationId: (await invitationForExtra()).id })),
  },
  {
    name: 'teams.changeRole (of extra)',
    expect: row(U, N, F, F, F, OK),
    call: async (a) => codeOf(a.client.trpc.teams.changeRole.mutate({ teamId: await freshTeam(), userId: users.extra.userId, role: 'editor' })),
  },
  {
    name: 'teams.removeMember (extra)',
    expect: row(U, N, F, F, F, OK),
    call: async (a) => codeOf(a.client.trpc.teams.removeMember.mutate({ teamId: await freshTeam(), userId: users.extra.userId })),
  },
  {
    // Anyone may leave, except the last owner.
    name: 'teams.removeMember (self: leave)',
    expect: row(U, N, OK, OK, OK, 'CONFLICT'),
    call: async (a) => codeOf(a.client.trpc.teams.removeMember.mutate({ teamId: await freshTeam(), userId: (a.user ?? users.extra).userId })),
  },

  // catalogue and artifacts
  { name: 'catalogue.nodes', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.catalogue.nodes.query()) },
  { name: 'catalogue.models', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.catalogue.models.query()) },
  { name: 'catalogue.diffusionModels', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.catalogue.diffusionModels.query()) },
  { name: 'workers.list', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.workers.list.query()) },
  { name: 'workers.queue', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.workers.queue.query()) },
  { name: 'catalogue.pipelines', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.catalogue.pipelines.query()) },
  { name: 'catalogue.validate', expect: row(U, OK, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.catalogue.validate.query({ document: blurGraph(teamFile.sha256) })) },
  { name: 'artifacts.get (team upload)', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.artifacts.get.query({ id: teamFile.id })) },
  { name: "artifacts.get (runner's own upload)", expect: row(U, N, N, OK, N, N), call: (a) => codeOf(a.client.trpc.artifacts.get.query({ id: runnerFile.id })) },
  { name: "artifacts.get (stranger's own upload)", expect: row(U, OK, N, N, N, N), call: (a) => codeOf(a.client.trpc.artifacts.get.query({ id: strangerFile.id })) },
  { name: 'artifacts.content (team upload)', expect: row(U, N, OK, OK, OK, OK), call: (a) => codeOf(a.client.trpc.artifacts.content.query({ sha256: teamFile.sha256 })) },
  { name: "artifacts.content (runner's own upload)", expect: row(U, N, N, OK, N, N), call: (a) => codeOf(a.client.trpc.artifacts.content.query({ sha256: runnerFile.sha256 })) },

  // HTTP routes of the app
  { name: 'POST /api/uploads', expect: row(401, 201, 201, 201, 201, 201), call: (a) => status(a.client.fetch('/api/uploads', pngBody())) },
  {
    name: 'POST /api/uploads/zip (a ZIP of images)',
    expect: row(401, 201, 201, 201, 201, 201),
    call: (a) => status(a.client.fetch('/api/uploads/zip', { method: 'POST', headers: { 'content-type': 'application/zip' }, body: new Uint8Array(zipStored([{ name: 'a.png', bytes: tinyPng }])) })),
  },
  { name: 'POST /api/uploads?teamId (to the team)', expect: row(401, 404, 403, 201, 201, 201), call: (a) => status(a.client.fetch(`/api/uploads?teamId=${teamId}`, pngBody())) },
  { name: 'GET /api/artifacts/:id (team upload)', expect: row(401, 404, 200, 200, 200, 200), call: (a) => status(a.client.fetch(`/api/artifacts/${teamFile.id}`)) },
  { name: "GET /api/artifacts/:id (runner's own)", expect: row(401, 404, 404, 200, 404, 404), call: (a) => status(a.client.fetch(`/api/artifacts/${runnerFile.id}`)) },
  { name: "GET /api/artifacts/:id (stranger's own)", expect: row(401, 200, 404, 404, 404, 404), call: (a) => status(a.client.fetch(`/api/artifacts/${strangerFile.id}`)) },
  { name: 'GET /api/uploads/:sha (team upload)', expect: row(401, 404, 200, 200, 200, 200), call: (a) => status(a.client.fetch(`/api/uploads/${teamFile.sha256}`)) },
  { name: "GET /api/uploads/:sha (runner's own)", expect: row(401, 404, 404, 200, 404, 404), call: (a) => status(a.client.fetch(`/api/uploads/${runnerFile.sha256}`)) },
  { name: "GET /api/uploads/:sha (stranger's own)", expect: row(401, 200, 404, 404, 404, 404), call: (a) => status(a.client.fetch(`/api/uploads/${strangerFile.sha256}`)) },
  { name: 'GET /api/runs/:id/files/:sha (its output)', expect: row(401, 404, 200, 200, 200, 200), call: (a) => status(a.client.fetch(`/api/runs/${runId}/files/${runOutput}`)) },
  {
    name: 'GET /api/runs/:id/files/:sha (of another run)',
    expect: row(401, 404, 404, 404, 404, 404),
    call: (a) => status(a.client.fetch(`/api/runs/${runId}/files/${otherRunOutput}`)),
  },
  {
    name: 'GET /api/runs/:id/files/:sha (an upload, not a run file)',
    expect: row(401, 404, 404, 404, 404, 404),
    call: (a) => status(a.client.fetch(`/api/runs/${runId}/files/${teamFile.sha256}`)),
  },

  // HTTP API for scripts
  {
    name: 'POST /api/v1/graphs/:id/runs',
    expect: row(401, 404, 403, 201, 201, 201),
    call: (a) => status(a.client.fetch(`/api/v1/graphs/${graphId}/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })),
  },
  {
    name: 'POST /api/v1/graphs/:id/batches',
    expect: row(401, 404, 403, 201, 201, 201),
    call: (a) => status(a.client.fetch(`/api/v1/graphs/${graphId}/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ inputs: {} }] }) })),
  },
  { name: 'GET /api/v1/batches/:id', expect: row(401, 404, 200, 200, 200, 200), call: async (a) => status(a.client.fetch(`/api/v1/batches/${await ownersBatch()}`)) },
  {
    name: "GET /api/v1/batches/:id (the stranger's batch through a run link)",
    expect: row(401, 200, 200, 200, 200, 200),
    call: async (a) => status(a.client.fetch(`/api/v1/batches/${await linkBatch(users.stranger)}`)),
  },
  { name: 'GET /api/v1/batches/:id/outputs.zip', expect: row(401, 404, 200, 200, 200, 200), call: async (a) => status(a.client.fetch(`/api/v1/batches/${await ownersBatch()}/outputs.zip`)) },
  {
    name: "GET /api/v1/batches/:id/outputs.zip (the stranger's batch through a run link)",
    expect: row(401, 200, 200, 200, 200, 200),
    call: async (a) => status(a.client.fetch(`/api/v1/batches/${await linkBatch(users.stranger)}/outputs.zip`)),
  },
  { name: 'POST /api/v1/batches/:id/cancel', expect: row(401, 404, 403, 200, 200, 200), call: async (a) => status(a.client.fetch(`/api/v1/batches/${await ownersBatch()}/cancel`, { method: 'POST' })) },
  { name: 'GET /api/v1/runs/:id', expect: row(401, 404, 200, 200, 200, 200), call: (a) => status(a.client.fetch(`/api/v1/runs/${runId}`)) },
  { name: 'GET /api/v1/runs/:id/files/:sha (its output)', expect: row(401, 404, 200, 200, 200, 200), call: (a) => status(a.client.fetch(`/api/v1/runs/${runId}/files/${runOutput}`)) },
  {
    name: 'GET /api/v1/runs/:id/files/:sha (of another run)',
    expect: row(401, 404, 404, 404, 404, 404),
    call: (a) => status(a.client.fetch(`/api/v1/runs/${runId}/files/${otherRunOutput}`)),
  },
  { name: 'POST /api/v1/runs/:id/cancel', expect: row(401, 404, 403, 200, 200, 200), call: (a) => status(a.client.fetch(`/api/v1/runs/${runId}/cancel`, { method: 'POST' })) },
  { name: 'GET /api/v1/runs/:id/events', expect: row(401, 404, 200, 200, 200, 200), call: (a) => sseStatus(a.client.fetch(`/api/v1/runs/${runId}/events`)) },
  { name: 'POST /api/v1/artifacts', expect: row(401, 201, 201, 201, 201, 201), call: (a) => status(a.client.fetch('/api/v1/artifacts', pngBody())) },
  { name: 'GET /api/v1/artifacts/:id (team upload)', expect: row(401, 404, 200, 200, 200, 200), call: (a) => status(a.client.fetch(`/api/v1/artifacts/${teamFile.id}`)) },
  { name: "GET /api/v1/artifacts/:id (runner's own)", expect: row(401, 404, 404, 200, 404, 404), call: (a) => status(a.client.fetch(`/api/v1/artifacts/${runnerFile.id}`)) },
  { name: "GET /api/v1/artifacts/:id (stranger's own)", expect: row(401, 200, 404, 404, 404, 404), call: (a) => status(a.client.fetch(`/api/v1/artifacts/${strangerFile.id}`)) },
  { name: 'GET /api/v1/openapi.json', expect: row(200, 200, 200, 200, 200, 200), call: (a) => status(a.client.fetch('/api/v1/openapi.json')) },
];

/** A row as it should come out for one way of signing in. */
function expected(c: Case, via: Via): Record<string, Outcome> {
  const out: Record<string, Outcome> = { ...c.expect };
  if (via === 'token') {
    out.revoked = c.expect.anonymous;
    if (c.sessionOnly) for (const p of personas) if (p !== 'anonymous') out[p] = F;
  }
  return out;
}

/** Waits for a run to end and returns its first image output's artifact id. */
async function outputOf(client: TestClient, id: string): Promise<string> {
  const events = await readSse(await client.fetch(`/api/v1/runs/${id}/events`), (e) => e.event === 'end');
  const finished = JSON.parse(events.find((e) => e.event === 'run.finished')!.data) as { status: string; outputs: Record<string, { artifactId: string }> };
  expect(finished.status).toBe('succeeded');
  return finished.outputs.result!.artifactId;
}

describe('authorization matrix (PGlite)', () => {
  beforeAll(async () => {
    server = await startTestServer('pglite');
    const names = ['owner', 'editor', 'runner', 'viewer', 'stranger', 'extra'] as const;
    const signedUp = await Promise.all(names.map((name) => signedUpClient(server, name)));
    users = Object.fromEntries(names.map((name, i) => [name, signedUp[i]!])) as typeof users;
    const { owner } = users;

    teamId = (await owner.trpc.teams.create.mutate({ name: 'Studio' })).id;
    for (const role of ['editor', 'runner', 'viewer'] as const) await addToTeam(owner, users[role], teamId, role);

    tinyPng = await solidPng(8, 8, '#102030');
    [teamFile, runnerFile, strangerFile] = await Promise.all([
      upload(owner, await noisyPng(32, 24), `?teamId=${teamId}&name=team-photo.png`),
      upload(users.runner, await solidPng(8, 8, '#aa0000')),
      upload(users.stranger, await solidPng(8, 8, '#00aa00'), '?name=stranger-secret.png'),
    ]);

    graphId = (await owner.trpc.graphs.create.mutate({ name: 'Team blur', teamId, document: blurGraph(teamFile.sha256) })).graph.id;
    loadsStrangersImage = (await owner.trpc.graphs.create.mutate({ name: 'Borrowed', teamId, document: blurGraph(strangerFile.sha256) })).graph.id;
    takesImageInput = (
      await owner.trpc.graphs.create.mutate({
        name: 'Function',
        teamId,
        document: {
          format: 'pixelwire.graph',
          version: 1,
          nodes: [{ id: 'blur', type: 'image.blur', params: { sigma: 1 } }],
          edges: [],
          inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'blur', port: 'image' }] }],
          outputs: [{ name: 'result', kind: 'image', source: { node: 'blur', port: 'image' } }],
        },
      })
    ).graph.id;
    const ownersFile = await upload(owner, await noisyPng(32, 24));
    const ownersGraph = (await owner.trpc.graphs.create.mutate({ name: 'Mine', document: blurGraph(ownersFile.sha256) })).graph.id;

    const run = await owner.trpc.runs.start.mutate({ graphId });
    const other = await owner.trpc.runs.start.mutate({ graphId: ownersGraph });
    runId = run.id;
    [runOutput, otherRunOutput] = await Promise.all([outputOf(owner, run.id), outputOf(owner, other.id)]);
    expect(new Set([runOutput, otherRunOutput, teamFile.sha256]).size).toBe(3);

    extraTokenId = (await users.extra.trpc.tokens.create.mutate({ name: 'not yours' })).id;
    const revoked = await owner.trpc.tokens.create.mutate({ name: 'revoked' });
    await owner.trpc.tokens.revoke.mutate({ id: revoked.id });
    revokedToken = revoked.token;

    const anonymous: Actor = { persona: 'anonymous', via: 'session', client: clientFor(server) };
    const members = ['stranger', 'viewer', 'runner', 'editor', 'owner'] as const;
    actors.session = [anonymous, ...members.map((p): Actor => ({ persona: p, via: 'session', client: users[p], user: users[p] }))];
    const tokens = await Promise.all(members.map((p) => users[p].trpc.tokens.create.mutate({ name: 'matrix' })));
    actors.token = [
      { ...anonymous, via: 'token' },
      { persona: 'revoked', via: 'token', client: clientFor(server, { token: revokedToken }) },
      ...members.map((p, i): Actor => ({ persona: p, via: 'token', client: clientFor(server, { token: tokens[i]!.token }), user: users[p] })),
    ];
  });

  afterAll(async () => {
    await server?.close();
  });

  it('has a row for every tRPC procedure', () => {
    const covered = new Set(cases.map((c) => c.name.split(' ')[0]));
    expect(Object.keys(appRouter._def.procedures).filter((name) => !covered.has(name))).toEqual([]);
  });

  describe.each(['session', 'token'] as const)('with a %s', (via) => {
    it.each(cases)('$name', async (c) => {
      const outcomes = await Promise.all(actors[via].map(async (a) => [a.persona, await c.call(a)] as const));
      expect(Object.fromEntries(outcomes)).toEqual(expected(c, via));
    });
  });

  it('a token works as its user until revoked, then is refused everywhere (no fallback to the cookie)', async () => {
    const { runner } = users;
    const { id, token } = await runner.trpc.tokens.create.mutate({ name: 'script' });
    const script = clientFor(server, { token });
    expect((await script.trpc.auth.me.query())?.id).toBe(runner.userId);
    expect(await status(script.fetch(`/api/v1/runs/${runId}`))).toBe(200);

    await runner.trpc.tokens.revoke.mutate({ id });
    expect(await script.trpc.auth.me.query()).toBeNull();
    expect(await status(script.fetch(`/api/v1/runs/${runId}`))).toBe(401);
    expect(await codeOf(script.trpc.runs.get.query({ runId }))).toBe(U);
    // A revoked token next to a valid session cookie still counts as no credentials.
    expect(await status(runner.fetch(`/api/v1/runs/${runId}`, { headers: { authorization: `Bearer ${token}` } }))).toBe(401);
  });

  it('signing out ends that session only', async () => {
    const { viewer } = users;
    const browser = clientFor(server);
    await browser.trpc.auth.signIn.mutate({ email: viewer.email, password });
    const cookie = browser.cookie;
    await browser.trpc.auth.signOut.mutate();
    const me = await fetch(`${server.url}${raw('auth.me')}`, { headers: { cookie } });
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toBeNull();
    expect(await codeOf(viewer.trpc.graphs.get.query({ graphId }))).toBe(OK);
  });
});
