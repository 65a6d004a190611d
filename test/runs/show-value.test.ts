import { afterAll, describe, expect, it } from 'vitest';
import { executeJob } from '../../server/runs/execute-job';
import { zRunJob } from '../../server/runs/run-job';
import { zWireEvent, type WireEvent } from '../../server/runs/wire-events';
import { graph } from '../helpers/graph-builder';
import { putGradient, tempData } from './run-fixtures';

const data = await tempData();
afterAll(() => data.remove());

describe('Show value on the wire', () => {
  it("a show node's node.finished carries what it shows, summarised with the kind of the value; an image also as a preview", async () => {
    const photo = await putGradient(data.artifacts, 40, 30);
    const show = (id: string) => ({ id, type: 'util.show' });
    const document = graph(
      [{ id: 'load', type: 'image.load', params: { artifact: photo } }, show('showImage'), show('showText'), show('showNumber'), show('showBoxes'), show('showJson')],
      ['load.image -> showImage.value'],
      {
        inputs: [
          { name: 'caption', kind: 'text', targets: [{ node: 'showText', port: 'value' }] },
          { name: 'count', kind: 'number', targets: [{ node: 'showNumber', port: 'value' }] },
          { name: 'regions', kind: 'boxes', targets: [{ node: 'showBoxes', port: 'value' }] },
          { name: 'meta', kind: 'json', targets: [{ node: 'showJson', port: 'value' }] },
        ],
      },
    );
    const regions = [{ x: 1, y: 2, width: 3, height: 4, label: 'total' }];
    const events: WireEvent[] = [];
    const outcome = await executeJob(
      zRunJob.parse({
        runId: 'show-1',
        document,
        inputs: {
          caption: { kind: 'value', value: 'hello' },
          count: { kind: 'value', value: 42 },
          regions: { kind: 'value', value: regions },
          meta: { kind: 'value', value: { a: [1, 2] } },
        },
      }),
      { artifacts: data.artifacts, onEvent: (e) => events.push(zWireEvent.parse(JSON.parse(JSON.stringify(e)))) },
    );
    expect(outcome.status).toBe('succeeded');
    const shown = (id: string) => {
      const finished = events.find((e) => e.type === 'node.finished' && e.nodeId === id);
      return finished?.type === 'node.finished' ? finished.outputs.value : undefined;
    };
    expect(shown('showText')).toEqual({ kind: 'text', value: 'hello' });
    expect(shown('showNumber')).toEqual({ kind: 'number', value: 42 });
    expect(shown('showBoxes')).toEqual({ kind: 'boxes', value: regions });
    expect(shown('showJson')).toEqual({ kind: 'json', value: { a: [1, 2] } });
    expect(shown('showImage')).toMatchObject({ kind: 'image', width: 40, height: 30 });
    expect(events.some((e) => e.type === 'node.preview' && e.nodeId === 'showImage')).toBe(true);
  });
});
