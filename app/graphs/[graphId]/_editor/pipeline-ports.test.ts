import { describe, expect, it } from 'vitest';
import { describeChange, diffPorts, portsOfDocument, type PipelinePorts } from './pipeline-ports';

describe('pipeline ports', () => {
  it('reads a version’s ports from its document: port inputs, param inputs, outputs', () => {
    const ports = portsOfDocument({
      inputs: [
        { name: 'photo', kind: 'image', required: true, targets: [{ node: 'b', port: 'image' }] },
        { name: 'amount', kind: 'number', required: false, default: 2, targets: [{ node: 'b', param: 'sigma' }] },
      ],
      outputs: [{ name: 'result', kind: 'image', source: { node: 'b', port: 'image' } }],
    });
    expect(ports).toEqual({
      inputs: [
        { name: 'photo', kind: 'image', required: true, feedsPort: true, setsParams: false },
        { name: 'amount', kind: 'number', required: false, default: 2, feedsPort: false, setsParams: true },
      ],
      outputs: [{ name: 'result', kind: 'image' }],
    });
  });

  it('lists what changes between two versions', () => {
    const input = (name: string, kind: 'image' | 'mask' | 'number', feedsPort = true) => ({ name, kind, required: true, feedsPort, setsParams: !feedsPort });
    const v3: PipelinePorts = { inputs: [input('photo', 'image'), input('amount', 'number', false), input('old', 'image')], outputs: [{ name: 'result', kind: 'image' }] };
    const v5: PipelinePorts = { inputs: [input('photo', 'mask'), input('amount', 'number'), input('mask', 'mask')], outputs: [{ name: 'result', kind: 'image' }, { name: 'edges', kind: 'mask' }] };
    const changes = diffPorts(v3, v5);
    expect(changes.map(describeChange)).toEqual([
      'input old (image) removed',
      'input photo: image → mask',
      'input amount: value → port',
      'input mask (mask) added',
      'output edges (mask) added',
    ]);
    expect(diffPorts(v5, v5)).toEqual([]);
  });
});
