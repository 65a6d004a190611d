import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { catalogueEntry } from '../../../../nodes/catalogue';
import { blendNode } from '../../../../nodes/image/composite/blend.node';
import { drawTextNode } from '../../../../nodes/image/composite/draw-text.node';
import { pencilSketchNode } from '../../../../nodes/image/filter/pencil-sketch.node';
import { zGraphDocument } from '../../../../engine/graph-document';
import { useCatalogueStore } from './catalogue-store';
import { useGraphStore } from './graph-store';
import { RunInputsView } from './run-inputs-dialog';
import { requestRun, submitRunInputs, useRunInputsStore } from './use-run-inputs';

const watermark = zGraphDocument.parse(JSON.parse(readFileSync(new URL('../../../../examples/watermark.json', import.meta.url), 'utf8')));
const storage = new Map<string, string>();
vi.stubGlobal('localStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) });

const dialog = () => useRunInputsStore.getState();
/** The dialog's markup for the store's state (server rendering: no effects, no DOM). */
const render = () => renderToStaticMarkup(createElement(RunInputsView, dialog()));

describe('Run with inputs', () => {
  beforeEach(() => {
    storage.clear();
    useRunInputsStore.setState({ graphId: undefined, open: false, fields: [], values: {}, problems: {}, lastUsed: undefined });
    useCatalogueStore.getState().setEntries([blendNode, drawTextNode, pencilSketchNode].map(catalogueEntry));
    useGraphStore.getState().load(watermark, 1);
  });

  it('asks for the inputs, prefilled with defaults, and blocks a run without the required image', () => {
    requestRun('g1', 'again');
    expect(dialog().open).toBe(true);
    expect(dialog().values).toEqual({ caption: '© Pixelwire', strength: 0.6 });
    // Refused before anything is saved or started (the browser test runs the real thing end to end).
    expect(submitRunInputs()).toBe(false);
    expect(dialog().problems).toEqual({ photo: 'photo is required: upload an image' });

    const html = render();
    expect(html).toContain('aria-labelledby');
    expect(html).toMatch(/<input type="file"[^>]*aria-label="photo"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<p id="([^"]+)-problem"[^>]*role="alert">photo is required: upload an image<\/p>/);
    // The error describes the control it concerns.
    const problemId = /<p id="([^"]+-problem)"/.exec(html)![1]!;
    expect(html).toMatch(new RegExp(`aria-label="photo"[^>]*aria-describedby="[^"]*${problemId}`));
    expect(html).toMatch(/aria-label="caption"[^>]*value="© Pixelwire"/);
    expect(html).toMatch(/aria-label="strength"[^>]*min="0" max="1"[^>]*value="0.6"/);
    expect(html).toContain('The picture to mark');
  });
});
