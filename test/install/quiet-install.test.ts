// The contract behind a quiet `npm install` / `npm start` (issue 11 item 2), checked from the files alone: no
// network, no install, no build.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const stubDir = 'tools/npm-stubs/prisma-streams-local';

const zPackageJson = z.object({
  dependencies: z.record(z.string(), z.string()),
  allowScripts: z.record(z.string(), z.boolean()),
  overrides: z.record(z.string(), z.unknown()).optional(),
  engines: z.object({ node: z.string() }).optional(),
});
const zLockfile = z.object({
  packages: z.record(
    z.string(),
    z.object({
      link: z.boolean().optional(),
      resolved: z.string().optional(),
      engines: z.union([z.record(z.string(), z.string()), z.array(z.string())]).optional(),
    }),
  ),
});

/** npm's own list of config names, from the npm next to this Node (undefined when it cannot be found). */
function npmConfigNames(): Set<string> | undefined {
  const candidates = [
    process.env.npm_execpath && join(dirname(process.env.npm_execpath), '..'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'),
  ].filter((p): p is string => !!p);
  for (const npmRoot of candidates) {
    const file = join(npmRoot, 'node_modules', '@npmcli', 'config', 'lib', 'definitions', 'index.js');
    if (!existsSync(file)) continue;
    const loaded: unknown = createRequire(import.meta.url)(file);
    const parsed = z.object({ definitions: z.record(z.string(), z.unknown()) }).safeParse(loaded);
    if (parsed.success) return new Set(Object.keys(parsed.data.definitions));
  }
  return undefined;
}

describe('quiet install', () => {
  const pkg = zPackageJson.parse(JSON.parse(read('package.json')));

  it('denies onnxruntime-node its install script (it only downloads CUDA libraries from NuGet)', () => {
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
  });

  it('has no .npmrc line that npm does not know (npm warns "Unknown project config" on every call)', () => {
    if (!existsSync(join(root, '.npmrc'))) return;
    const keys = read('.npmrc')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && !line.startsWith(';'))
      .map((line) => line.split('=')[0]!.trim());
    const known = npmConfigNames();
    for (const key of keys) {
      expect(key, 'package-specific settings belong in package.json').not.toMatch(/onnxruntime/);
      // Scoped registries and per-host credentials are keys npm accepts without listing them.
      if (known && !key.startsWith('@') && !key.startsWith('//')) expect(known.has(key), `.npmrc key "${key}"`).toBe(true);
    }
  });

  it('replaces @prisma/streams-local (engines node >= 22, only used by `prisma dev`) with the local stub', () => {
    expect(pkg.dependencies['@prisma/streams-local']).toBe(`file:${stubDir}`);
    expect(pkg.overrides?.['@prisma/streams-local']).toBe('$@prisma/streams-local');

    const stub = z
      .object({ name: z.string(), engines: z.unknown().optional(), dependencies: z.unknown().optional() })
      .parse(JSON.parse(read(`${stubDir}/package.json`)));
    expect(stub.name).toBe('@prisma/streams-local');
    expect(stub.engines).toBeUndefined();
    expect(stub.dependencies).toBeUndefined();

    const lock = zLockfile.parse(JSON.parse(read('package-lock.json')));
    expect(lock.packages['node_modules/@prisma/streams-local']).toMatchObject({ link: true, resolved: stubDir });
    expect(lock.packages['node_modules/@prisma/dev/node_modules/@prisma/streams-local']).toBeUndefined();
  });

  it('the stub refuses to be used, saying why', async () => {
    const stub: Record<string, unknown> = await import(pathToFileURL(join(root, stubDir, 'index.js')).href);
    const start = stub.startLocalDurableStreamsServer;
    if (typeof start !== 'function') throw new Error('the stub exports no startLocalDurableStreamsServer');
    expect(() => start()).toThrow(/prisma dev is not used by Pixelwire/);
  });

  it('locks no package that asks for a newer Node than package.json promises (npm warns EBADENGINE)', () => {
    const ours = Number(/(\d+)/.exec(pkg.engines?.node ?? '')?.[1]);
    expect(ours).toBeGreaterThan(0);
    const lock = zLockfile.parse(JSON.parse(read('package-lock.json')));
    const tooNew = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      // Plain lower bounds (">=22", ">= 22.0.0") are the form that bites; ranges with "||" allow older majors.
      const min = node && !node.includes('||') ? /^>=?\s*v?(\d+)/.exec(node.trim())?.[1] : undefined;
      return min && Number(min) > ours ? [`${path} (node ${node})`] : [];
    });
    expect(tooNew).toEqual([]);
  });
});

describe('quiet and quick start', () => {
  it('next build skips the type check and filters only the whole-project tracing warning', async () => {
    const config = z
      .object({
        typescript: z.object({ ignoreBuildErrors: z.boolean() }),
        turbopack: z.object({ ignoreIssue: z.array(z.object({ path: z.string(), title: z.string() })) }),
      })
      .parse((await import(pathToFileURL(join(root, 'next.config.js')).href)).default);
    expect(config.typescript.ignoreBuildErrors).toBe(true);
    for (const rule of config.turbopack.ignoreIssue) {
      expect(rule.title).toBe('Dynamic filesystem access causes tracing of the whole project');
    }
  });

  it('CI type-checks before the tests', () => {
    const lines = read('.ci/run').split('\n').map((line) => line.trim());
    const typecheck = lines.findIndex((line) => line.startsWith('npm run typecheck'));
    const test = lines.findIndex((line) => line.startsWith('npm test'));
    expect(typecheck).toBeGreaterThan(-1);
    expect(test).toBeGreaterThan(typecheck);
    const { scripts } = z.object({ scripts: z.record(z.string(), z.string()) }).parse(JSON.parse(read('package.json')));
    expect(scripts.typecheck).toBe('tsc --noEmit');
  });

  it('the app has a favicon', () => {
    expect(read('app/icon.svg')).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });
});
