// Pixelwire replaces @prisma/streams-local (npm `overrides` in the root package.json) with this stub. Only
// `prisma dev` loads it, through a dynamic import() in @prisma/dev; `prisma generate` and our migration
// applier never do. Any use fails with a message saying why.
const message =
  'prisma dev is not used by Pixelwire: @prisma/streams-local is replaced by a stub (tools/npm-stubs/prisma-streams-local)';

export function startLocalDurableStreamsServer() {
  throw new Error(message);
}

