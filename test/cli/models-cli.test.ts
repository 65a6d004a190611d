import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, type CliExit } from '../helpers/run-cli';

const repoStyle = resolve(repoRoot, 'models/style');
const tmp = mkdtempSync(join(tmpdir(), 'pw-models-cli-'));
const modelsDir = join(tmp, 'models');
mkdirSync(join(modelsDir, 'ocr'), { recursive: true });
symlinkSync(repoStyle, join(modelsDir, 'style'));
writeFileSync(join(modelsDir, 'ocr', 'tiny.onnx'), 'not really a model');
// A model folder, as diffusion models and Stable Diffusion exports come: weights listed by path, configs not.
mkdirSync(join(modelsDir, 'diffusion', 'sd-like', 'unet'), { recursive: true });
writeFileSync(join(modelsDir, 'diffusion', 'sd-like', 'model_index.json'), '{}');
writeFileSync(join(modelsDir, 'diffusion', 'sd-like', 'unet', 'model.onnx'), 'unet weights');
writeFileSync(join(modelsDir, 'diffusion', 'sd-like', 'unet', 'config.json'), '{}');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pixelwire(...args: string[]): Promise<CliExit> {
  return runCli(args, { PIXELWIRE_MODELS_DIR: modelsDir, PIXELWIRE_DATA_DIR: join(tmp, 'data'), PIXELWIRE_EXECUTION_PROVIDERS: 'cpu' });
}

describe('pixelwire models / doctor', () => {
  it('lists model files by kind with size and sha256 (--json)', async () => {
    const { code, stdout, stderr } = await pixelwire('models', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as { dir: string; models: { kind: string; file: string; size: number; sha256: string }[] };
    expect(body.dir).toBe(modelsDir);
    const style = body.models.filter((m) => m.kind === 'style').map((m) => m.file);
    expect(style).toEqual(expect.arrayContaining(['candy.onnx', 'mosaic.onnx', 'pointilism.onnx', 'rain-princess.onnx', 'udnie.onnx']));
    const candy = body.models.find((m) => m.file === 'candy.onnx')!;
    expect(candy.size).toBe(statSync(join(repoStyle, 'candy.onnx')).size);
    const sums = readFileSync(join(repoStyle, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain(candy.sha256);
    const tiny = body.models.find((m) => m.kind === 'ocr')!;
    expect(tiny).toMatchObject({ file: 'tiny.onnx', size: 18, sha256: createHash('sha256').update('not really a model').digest('hex') });
    expect(body.models.filter((m) => m.kind === 'diffusion')).toEqual([
      expect.objectContaining({ file: 'sd-like/unet/model.onnx', size: 12, sha256: createHash('sha256').update('unet weights').digest('hex') }),
    ]);
  });

  it('prints a table without --json', async () => {
    const { code, stdout } = await pixelwire('models');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^style\s+candy\.onnx\s+6\.4 MiB\s+[0-9a-f]{64}$/m);
  });

  it('doctor reports providers, models, limits and the data dir', async () => {
    const { code, stdout } = await pixelwire('doctor', '--json');
    const report = JSON.parse(stdout) as {
      executionProviders: { requested: string[]; checks: { provider: string; ok: boolean }[] };
      onnxruntime: { backends: { name: string }[] };
      models: { dir: string; counts: Record<string, number> };
      imageLimits: { maxPixels: number };
      dataDir: string;
    };
    expect(code).toBe(0);
    expect(report.executionProviders.requested).toEqual(['cpu']);
    expect(report.executionProviders.checks).toEqual([expect.objectContaining({ provider: 'cpu', ok: true })]);
    expect(report.onnxruntime.backends.map((b) => b.name)).toContain('cpu');
    expect(report.models).toMatchObject({ dir: modelsDir, counts: { ocr: 1 } });
    expect(report.models.counts.style).toBeGreaterThanOrEqual(5);
    expect(report.imageLimits.maxPixels).toBeGreaterThan(0);
    expect(report.dataDir).toBe(join(tmp, 'data'));
  });
});
