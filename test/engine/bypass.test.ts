import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRun } from '../../engine/executor';
import { builtinRegistry } from '../../nodes/registry';
import { DiskArtifactStore } from '../../server/storage/disk-artifact-store';
import { graph } from '../helpers/graph-builder';
import { gradient } from '../helpers/images';

const artifacts = new DiskArtifactStore(mkdtempSync(join(tmpdir(), 'pw-bypass-')));

/** photo → blur → sharpen → output, with some nodes bypassed. */
const chain = (bypass: Record<string, boolean>) =>
  graph(
    [
      { id: 'blur', type: 'image.blur', params: { sigma: 4 }, ...(bypass.blur ? { bypass: true } : {}) },
      { id: 'sharpen', type: 'image.sharpen', params: {}, ...(bypass.sharpen ? { bypass: true } : {}) },
      { id: 'grey', type: 'image.threshold', params: {}, ...(bypass.grey ? { bypass: true } : {}) },
    ],
    ['blur.image -> sharpen.image', 'sharpen.image -> grey.image'],
    {
      inputs: [{ name: 'photo', kind: 'image', targets: [{ node: 'blur', port: 'image' }] }],
      outputs: [{ name: 'result', kind: 'image', source: { node: 'sharpen', port: 'image' } }],
    },
  );

describe('bypassed nodes', () => {
  it('pass their matching input on instead of running', async () => {
    const photo = gradient(64, 48);
    const handle = startRun({ registry: builtinRegistry, document: chain({ blur: true, sharpen: true }), inputs: { photo }, services: { artifacts } });
    const result = await handle.result;
    expect(result.status).toBe('succeeded');
    // Both filters bypassed: the output is the photo itself.
    expect(result.outputs.result).toEqual(photo);
    expect(result.nodes.blur).toMatchObject({ status: 'finished' });
  });

  it('fail, naming the output, when no input can feed one of their outputs', async () => {
    // image.threshold outputs a mask (an image does not connect to a mask) and a number: nothing can be passed on.
    const result = await startRun({ registry: builtinRegistry, document: chain({ grey: true }), inputs: { photo: gradient(32, 32) }, services: { artifacts } }).result;
    expect(result.status).toBe('failed');
    expect(result.errors).toEqual([expect.objectContaining({ nodeId: 'grey', code: 'bypass_no_input', port: 'mask' })]);
  });

  it('cache apart from the running node: turning bypass off runs the node', async () => {
    const photo = gradient(40, 30);
    const bypassed = await startRun({ registry: builtinRegistry, document: chain({ blur: true }), inputs: { photo }, services: { artifacts } }).result;
    const running = await startRun({ registry: builtinRegistry, document: chain({}), inputs: { photo }, services: { artifacts } }).result;
    expect(bypassed.nodes.blur?.cacheKey).not.toBe(running.nodes.blur?.cacheKey);
  });
});
