import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readEmbeddedGraph } from '../../nodes/_impl/embedded-graph';
import { builtinRegistry } from '../../nodes/registry';
import { zGraphDocument } from '../../engine/graph-document';
import { validateDocument } from '../../engine/validate';
import { repoRoot, runCli, type CliExit } from '../helpers/run-cli';

const tmp = mkdtempSync(join(tmpdir(), 'pw-cli-'));
const dataDir = join(tmp, 'data');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const examples = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => `examples/${f}`);

type Exit = CliExit;

/** Runs `node bin/pixelwire.js ARGS` from the repo root; never writes to the repo's own data/ or out/. */
function pixelwire(...args: string[]): Promise<Exit> {
  return runCli(args, { PIXELWIRE_DATA_DIR: dataDir });
}

const zRunReport = z.object({
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  runId: z.string(),
  durationMs: z.number().min(0),
  outputs: z.record(z.string(), z.record(z.string(), z.unknown())),
  saved: z.array(z.object({ nodeId: z.string(), path: z.string(), artifactId: z.string() })),
  nodes: z.record(z.string(), z.object({ status: z.string(), durationMs: z.number().min(0).optional() })),
  cacheHits: z.array(z.string()),
  errors: z.array(z.object({ nodeId: z.string(), code: z.string(), message: z.string(), port: z.string().optional(), param: z.string().optional() })),
});
type RunReport = z.infer<typeof zRunReport>;

/** The whole of stdout must be one JSON run report. */
function report(exit: Exit): RunReport {
  return zRunReport.parse(JSON.parse(exit.stdout));
}

function tempGraph(name: string, doc: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

const blurNodes = ['load', 'resize', 'blur', 'sharpen', 'save'];

describe('pixelwire run (examples/blur-sharpen.json)', () => {
  const out = (n: number) => join(tmp, `blur-out-${n}`);
  const run = (n: number, ...extra: string[]) =>
    pixelwire('run', 'examples/blur-sharpen.json', '--json', '--out', out(n), '--data-dir', dataDir, ...extra);

  it('runs, writes a 320-wide PNG output and the saved WebP, and reports timings', async () => {
    const exit = await run(1);
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    expect(r.status).toBe('succeeded');
    expect(r.errors).toEqual([]);
    expect(r.cacheHits).toEqual([]);

    const result = r.outputs.result!;
    expect(result).toMatchObject({ kind: 'image', width: 320, path: join(out(1), 'result.png') });
    const png = await sharp(readFileSync(String(result.path))).metadata();
    expect(png).toMatchObject({ format: 'png', width: 320, height: result.height });

    expect(r.saved).toEqual([{ nodeId: 'save', path: join(out(1), 'landscape-small.webp'), artifactId: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const webp = await sharp(readFileSync(r.saved[0]!.path)).metadata();
    expect(webp).toMatchObject({ format: 'webp', width: 320, height: result.height });

    expect(Object.keys(r.nodes).sort()).toEqual([...blurNodes].sort());
    for (const id of blurNodes) {
      expect(r.nodes[id]?.status).toBe('finished');
      expect(r.nodes[id]?.durationMs).toBeTypeOf('number');
    }
  });

  it('answers every node from the cache on a second run, with the same pixels', async () => {
    const exit = await run(2);
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    expect(r.status).toBe('succeeded');
    expect([...r.cacheHits].sort()).toEqual([...blurNodes].sort());
    expect(Object.values(r.nodes).every((n) => n.status === 'cached')).toBe(true);
    // A cache hit still copies the saved image out, and the result is the same image.
    expect(existsSync(join(out(2), 'landscape-small.webp'))).toBe(true);
    const [first, second] = await Promise.all([1, 2].map((n) => sharp(join(out(n), 'result.png')).raw().toBuffer()));
    expect(second!.equals(first!)).toBe(true);
  });

  it('re-runs only what a --set override changes', async () => {
    // save.format=png as well, so the next test can reopen the saved PNG.
    const exit = await run(3, '--set', 'blur.sigma=3', '--set', 'save.format=png');
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    expect([...r.cacheHits].sort()).toEqual(['load', 'resize']);
    for (const id of ['blur', 'sharpen', 'save']) expect(r.nodes[id]?.status).toBe('finished');
    const [first, third] = await Promise.all([1, 3].map((n) => sharp(join(out(n), 'result.png')).raw().toBuffer()));
    expect(third!.length).toBe(first!.length);
    expect(third!.equals(first!)).toBe(false);
  });

  it('accepts a PNG saved by image.save as the document and re-runs its embedded graph', async () => {
    const saved = join(out(3), 'landscape-small.png');
    const embedded = readEmbeddedGraph(readFileSync(saved));
    expect(embedded).toMatchObject({ nodes: expect.arrayContaining([expect.objectContaining({ id: 'blur', params: { sigma: 3 } })]) });

    // The embedded load path is relative to the examples folder, not to where the PNG lies.
    const exit = await pixelwire('run', saved, '--files-root', 'examples', '--json', '--out', out(4), '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    expect(r.status).toBe('succeeded');
    // The embedded graph is the one that ran (overrides included): every node is already cached.
    expect([...r.cacheHits].sort()).toEqual([...blurNodes].sort());
    const [third, fourth] = await Promise.all([3, 4].map((n) => sharp(join(out(n), 'result.png')).raw().toBuffer()));
    expect(fourth!.equals(third!)).toBe(true);
  });

  it('re-runs a graph output PNG with no flags: it carries the graph and the folder its files were read from', async () => {
    const output = join(out(3), 'result.png');
    expect(readEmbeddedGraph(readFileSync(output))).toMatchObject({ nodes: expect.arrayContaining([expect.objectContaining({ id: 'blur', params: { sigma: 3 } })]) });
    const exit = await pixelwire('run', output, '--json', '--out', out(5), '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    expect(report(exit).status).toBe('succeeded');
    // Without the folder (a PNG saved by image.save), a missing file says what to pass.
    const saved = join(out(3), 'landscape-small.png');
    const lost = await pixelwire('run', saved, '--out', out(6), '--data-dir', dataDir);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain('pass --files-root DIR');
  });
});

describe.concurrent('pixelwire run', () => {
  it('runs a graph with graph inputs given by --input', async () => {
    const outDir = join(tmp, 'watermark-out');
    const exit = await pixelwire(
      'run', 'examples/watermark.json',
      '--input', 'photo=examples/images/landscape.jpg',
      '--input', 'strength=0.3',
      '--json', '--out', outDir, '--data-dir', dataDir,
    );
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    expect(r.status).toBe('succeeded');
    const photo = await sharp(join(repoRoot, 'examples/images/landscape.jpg')).metadata();
    expect(r.outputs.marked).toMatchObject({ kind: 'image', width: photo.width, height: photo.height, path: join(outDir, 'marked.png') });
    // Real pixels: the marked image differs clearly from the photo it was made from.
    const [marked, original] = await Promise.all([
      sharp(join(outDir, 'marked.png')).removeAlpha().raw().toBuffer(),
      sharp(join(repoRoot, 'examples/images/landscape.jpg')).removeAlpha().raw().toBuffer(),
    ]);
    expect(marked.length).toBe(original.length);
    let diff = 0;
    for (let i = 0; i < marked.length; i++) diff += Math.abs(marked[i]! - original[i]!);
    expect(diff / marked.length).toBeGreaterThan(2);
  });

  it('runs a batch when an image input names several files (a quoted pattern or a folder)', async () => {
    const images = join(tmp, 'batch-images');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(images, { recursive: true });
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toFile(join(images, 'a.png'));
    await sharp({ create: { width: 20, height: 50, channels: 3, background: '#993366' } }).png().toFile(join(images, 'b.png'));
    writeFileSync(join(images, 'notes.txt'), 'not an image');
    const outDir = join(tmp, 'batch-out');
    const exit = await pixelwire('run', 'examples/watermark.json', '--input', `photo=${images}/*.png`, '--input', 'strength=0.5', '--json', '--out', outDir, '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    const r = JSON.parse(exit.stdout) as { status: string; total: number; succeeded: number; items: { status: string; outputs: { marked: { width: number; path: string } } }[] };
    expect(r).toMatchObject({ status: 'succeeded', total: 2, succeeded: 2 });
    expect(r.items.map((i) => [i.outputs.marked.width, i.outputs.marked.path])).toEqual([
      [40, join(outDir, '1-a', 'marked.png')],
      [20, join(outDir, '2-b', 'marked.png')],
    ]);
    expect((await sharp(join(outDir, '2-b', 'marked.png')).metadata()).height).toBe(50);
    // A folder means its images; a pattern that matches nothing is a usage error.
    const folder = await pixelwire('run', 'examples/watermark.json', '--input', `photo=${images}`, '--json', '--out', join(tmp, 'batch-folder'), '--data-dir', dataDir);
    expect(JSON.parse(folder.stdout)).toMatchObject({ total: 2, succeeded: 2 });
    // A ZIP of images (as the batch download writes them) works the same, deflated or stored.
    const { zipStored } = await import('../../server/util/zip');
    writeFileSync(join(tmp, 'batch.zip'), zipStored([
      { name: 'scans/a.png', bytes: readFileSync(join(images, 'a.png')) },
      { name: 'readme.txt', bytes: Buffer.from('not an image') },
      { name: 'scans/b.png', bytes: readFileSync(join(images, 'b.png')) },
    ]));
    const zipped = await pixelwire('run', 'examples/watermark.json', '--input', `photo=${join(tmp, 'batch.zip')}`, '--json', '--out', join(tmp, 'batch-zip'), '--data-dir', dataDir);
    expect(zipped.code, zipped.stderr).toBe(0);
    const zippedReport = JSON.parse(zipped.stdout) as { total: number; items: { outputs: { marked: { path: string } } }[] };
    expect(zippedReport.total).toBe(2);
    expect(zippedReport.items[1]!.outputs.marked.path).toBe(join(tmp, 'batch-zip', '2-b', 'marked.png'));
    const none = await pixelwire('run', 'examples/watermark.json', '--input', `photo=${images}/*.jpg`, '--data-dir', dataDir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no image matches');
  });

  it('exits 1 with the structured node error when a node fails', async () => {
    const path = tempGraph('missing-file.json', {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [
        { id: 'load', type: 'image.load', params: { source: 'file', path: 'no-such-image.png' } },
        { id: 'grey', type: 'image.grayscale' },
      ],
      edges: [{ from: { node: 'load', port: 'image' }, to: { node: 'grey', port: 'image' } }],
      outputs: [{ name: 'out', kind: 'image', source: { node: 'grey', port: 'image' } }],
    });
    const exit = await pixelwire('run', path, '--json', '--out', join(tmp, 'fail-out'), '--data-dir', dataDir);
    expect(exit.code).toBe(1);
    const r = report(exit);
    expect(r.status).toBe('failed');
    expect(r.errors).toEqual([expect.objectContaining({ nodeId: 'load', code: 'file_not_found', param: 'path' })]);
    expect(r.nodes).toMatchObject({ load: { status: 'failed' }, grey: { status: 'skipped' } });
    expect(r.outputs).toEqual({});
  });

  it('exits 2 on an invalid document, naming node and code on stderr', async () => {
    const path = tempGraph('cycle.json', {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [
        { id: 'a', type: 'image.grayscale' },
        { id: 'b', type: 'image.invert' },
        { id: 'mystery', type: 'image.no-such-node' },
      ],
      edges: [
        { from: { node: 'a', port: 'image' }, to: { node: 'b', port: 'image' } },
        { from: { node: 'b', port: 'image' }, to: { node: 'a', port: 'image' } },
      ],
    });
    const exit = await pixelwire('run', path, '--json', '--out', join(tmp, 'cycle-out'), '--data-dir', dataDir);
    expect(exit.code).toBe(2);
    expect(exit.stdout).toBe('');
    expect(exit.stderr).toMatch(/^mystery: unknown_node_type: /m);
    expect(exit.stderr).toMatch(/^a: cycle: /m);
    expect(exit.stderr).toMatch(/^b: cycle: /m);
    expect(existsSync(join(tmp, 'cycle-out'))).toBe(false);
  });

  it('exits 2 on usage errors', async () => {
    const runArgs = ['--out', join(tmp, 'usage-out'), '--data-dir', dataDir];
    const cases: [string[], RegExp][] = [
      [['frobnicate', 'examples/blur-sharpen.json'], /unknown command "frobnicate"/],
      [['run', join(tmp, 'no-such-graph.json'), ...runArgs], /cannot read .*no-such-graph\.json/],
      [['run', 'examples/blur-sharpen.json', '--set', 'sigma=3', ...runArgs], /--set expects NODE\.PARAM=VALUE/],
      [['run', 'examples/blur-sharpen.json', '--input', 'photo=examples/images/landscape.jpg', ...runArgs], /the graph has no input "photo"/],
    ];
    const exits = await Promise.all(cases.map(([args]) => pixelwire(...args)));
    exits.forEach((exit, i) => {
      expect(exit.code, cases[i]![0].join(' ')).toBe(2);
      expect(exit.stderr).toMatch(cases[i]![1]);
      expect(exit.stderr).toContain('pixelwire help');
      expect(exit.stdout).toBe('');
    });
    expect(existsSync(join(tmp, 'usage-out'))).toBe(false);
  });
});

describe.concurrent('pixelwire run: the model examples, on the real models', () => {
  it('reads the invoice scan with PP-OCRv4 (examples/read-invoice.json)', async () => {
    const exit = await pixelwire('run', 'examples/read-invoice.json', '--files-root', 'examples', '--json', '--out', join(tmp, 'ocr-out'), '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    const text = String(r.outputs.text!.value);
    expect(text).toBe('Invoice No. 2026-117\nTotal due: 1,280.00 EUR');
    expect(r.outputs.lines!.value).toHaveLength(2);
    expect(r.outputs.annotated).toMatchObject({ kind: 'image', width: 480, height: 200 });
  });

  it('cleans the scan so that OCR still reads it (examples/document-cleanup.json)', async () => {
    const cleanOut = join(tmp, 'cleanup-out');
    const exit = await pixelwire('run', 'examples/document-cleanup.json', '--json', '--out', cleanOut, '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    expect(r.outputs.clean).toMatchObject({ kind: 'image', width: 480, height: 200, channels: 1 });
    // Black and white only, and the text survived: the OCR example reads the cleaned scan exactly.
    const { channels } = await sharp(String(r.outputs.clean!.path)).stats();
    expect([channels[0]!.min, channels[0]!.max]).toEqual([0, 255]);
    const read = await pixelwire('run', 'examples/read-invoice.json', '--files-root', cleanOut, '--set', 'load.path=clean.png', '--json', '--out', join(tmp, 'cleanup-ocr'), '--data-dir', dataDir);
    expect(read.code, read.stderr).toBe(0);
    expect(report(read).outputs.text!.value).toBe('Invoice No. 2026-117\nTotal due: 1,280.00 EUR');
  });

  it('draws a pencil sketch and an edge map of the photo (examples/pencil-sketch.json)', async () => {
    const exit = await pixelwire('run', 'examples/pencil-sketch.json', '--json', '--out', join(tmp, 'sketch-out'), '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    const [sketch, edges] = await Promise.all([r.outputs.sketch!, r.outputs.edges!].map((o) => sharp(String(o.path)).stats()));
    // A sketch is mostly paper with dark strokes; an edge map mostly black with white edges.
    expect(sketch!.channels[0]!.mean).toBeGreaterThan(170);
    expect(sketch!.channels[0]!.min).toBeLessThan(sketch!.channels[0]!.mean - 40);
    expect(edges!.channels[0]!.mean).toBeLessThan(60);
    expect(edges!.channels[0]!.max).toBe(255);
  });

  it('makes a variation of a generated image (examples/fashion-img2img.json)', async () => {
    const exit = await pixelwire('run', 'examples/fashion-img2img.json', '--json', '--out', join(tmp, 'img2img-out'), '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    const r = report(exit);
    const [original, variation] = await Promise.all([r.outputs.original!, r.outputs.variation!].map((o) => sharp(String(o.path)).greyscale().raw().toBuffer()));
    expect(original!.length).toBe(variation!.length);
    // The same object again, not a copy and not something else: close, but not equal.
    let diff = 0;
    for (let i = 0; i < original!.length; i++) diff += Math.abs(original![i]! - variation![i]!);
    const mean = diff / original!.length;
    expect(mean).toBeGreaterThan(1);
    expect(mean).toBeLessThan(60);
  });

  it('draws a sneaker with our diffusion model (examples/fashion-diffusion.json)', async () => {
    const exit = await pixelwire('run', 'examples/fashion-diffusion.json', '--json', '--out', join(tmp, 'diffusion-out'), '--data-dir', dataDir);
    expect(exit.code, exit.stderr).toBe(0);
    const sneaker = report(exit).outputs.sneaker!;
    expect(sneaker).toMatchObject({ kind: 'image', width: 224, height: 224, channels: 1 });
    const stats = await sharp(readFileSync(String(sneaker.path))).stats();
    // Not blank: a drawn object on a dark background.
    expect(stats.channels[0]!.mean).toBeGreaterThan(10);
    expect(stats.channels[0]!.max).toBeGreaterThan(200);
  });
});

describe.concurrent('pixelwire validate', () => {
  // blur-sharpen and watermark are run above (a run validates first), and every example is
  // validated in process below; here the two that no test runs, to keep child processes few.
  it('accepts the examples', async () => {
    const files = examples.filter((f) => !/blur-sharpen|watermark|document-cleanup|pencil-sketch/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const exits = await Promise.all(files.map((file) => pixelwire('validate', file)));
    exits.forEach((exit, i) => {
      expect(exit.code, `${files[i]}: ${exit.stdout}${exit.stderr}`).toBe(0);
      expect(exit.stdout).toMatch(/^valid: \d+ nodes\n$/);
    });
  });

  it('gives structured errors for an invalid document with --json, and exits 2', async () => {
    const path = tempGraph('invalid.json', {
      format: 'pixelwire.graph',
      version: 1,
      nodes: [{ id: 'soft', type: 'image.blur', params: { sigma: -1, radius: 3 } }],
    });
    const exit = await pixelwire('validate', path, '--json');
    expect(exit.code).toBe(2);
    const body = z
      .object({ valid: z.literal(false), errors: z.array(z.object({ nodeId: z.string().nullable(), code: z.string(), message: z.string() }).loose()) })
      .strict()
      .parse(JSON.parse(exit.stdout));
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: 'soft', param: 'sigma', code: 'invalid_param' }),
        expect.objectContaining({ nodeId: 'soft', param: 'radius', code: 'unknown_param' }),
        expect.objectContaining({ nodeId: 'soft', port: 'image', code: 'missing_input' }),
      ]),
    );
  });
});

describe.concurrent('pixelwire nodes --json', () => {
  it('prints the catalogue: every node, its ports, and a params JSON Schema with every param and its default', async () => {
    const exit = await pixelwire('nodes', '--json');
    expect(exit.code, exit.stderr).toBe(0);
    const catalogue = z
      .array(
        z.object({
          type: z.string(),
          version: z.number(),
          inputs: z.array(z.object({ name: z.string(), kind: z.string(), optional: z.boolean() })),
          outputs: z.array(z.object({ name: z.string(), kind: z.string(), optional: z.boolean() })),
          params: z.object({ type: z.literal('object'), properties: z.record(z.string(), z.record(z.string(), z.unknown())), required: z.array(z.string()).optional() }),
        }),
      )
      .parse(JSON.parse(exit.stdout));

    const defs = builtinRegistry.list();
    expect(catalogue.map((e) => e.type).sort()).toEqual(defs.map((d) => d.type).sort());
    for (const def of defs) {
      const entry = catalogue.find((e) => e.type === def.type)!;
      expect(entry.version).toBe(def.version);
      expect(entry.inputs.map((p) => [p.name, p.kind, p.optional])).toEqual(Object.entries(def.inputs).map(([n, s]) => [n, s.kind, s.optional]));
      expect(entry.outputs.map((p) => p.name)).toEqual(Object.keys(def.outputs));

      const shape = def.params.shape;
      expect(Object.keys(entry.params.properties).sort(), def.type).toEqual(Object.keys(shape).sort());
      for (const [name, field] of Object.entries(shape)) {
        const property = entry.params.properties[name]!;
        if (field instanceof z.ZodDefault) {
          expect(property, `${def.type}.${name}`).toHaveProperty('default');
          expect(property.default).toEqual(JSON.parse(JSON.stringify(field.def.defaultValue)));
          // Documents may leave a defaulted param out.
          expect(entry.params.required ?? []).not.toContain(name);
        } else {
          expect(property, `${def.type}.${name}`).not.toHaveProperty('default');
        }
      }
    }
  });
});

describe.concurrent('pixelwire schema', () => {
  it('prints the graph document JSON Schema', async () => {
    const exit = await pixelwire('schema');
    expect(exit.code, exit.stderr).toBe(0);
    const schema = z
      .object({ properties: z.record(z.string(), z.unknown()), required: z.array(z.string()) })
      .loose()
      .parse(JSON.parse(exit.stdout));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['format', 'version', 'nodes', 'edges', 'inputs', 'outputs']));
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'version', 'nodes']));
    // Input schema: defaulted sections may be left out.
    expect(schema.required).not.toContain('edges');
  });

  it('accepts every example document and refuses one without nodes', () => {
    for (const file of examples) {
      const doc: unknown = JSON.parse(readFileSync(join(repoRoot, file), 'utf8'));
      expect(zGraphDocument.safeParse(doc).success, file).toBe(true);
      expect(validateDocument(doc, builtinRegistry).ok, file).toBe(true);
    }
    const refused = zGraphDocument.safeParse({ format: 'pixelwire.graph', version: 1, edges: [] });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path)).toContainEqual(['nodes']);
  });
});
