import { describe, expect, it } from 'vitest';
import { formInputs, initialFormValues, type AppInput } from './app-inputs';

const inputs: AppInput[] = [
  { name: 'photo', kind: 'image', required: true },
  { name: 'caption', kind: 'text', required: false, default: '© Pixelwire' },
  { name: 'strength', kind: 'number', required: false, default: 0.6 },
  { name: 'boxes', kind: 'json', required: false, default: [1] },
  { name: 'flip', kind: 'boolean', required: false },
];

describe('the run-link form', () => {
  it('starts from the defaults, JSON as text', () => {
    expect(initialFormValues(inputs)).toEqual({ caption: '© Pixelwire', strength: 0.6, boxes: '[\n  1\n]' });
  });

  it('marks a required image without a value', () => {
    expect(formInputs(inputs, initialFormValues(inputs)).problems).toEqual({ photo: 'photo is required: upload an image' });
  });

  it('turns the values into run inputs', () => {
    const values = { ...initialFormValues(inputs), photo: 'a'.repeat(64), strength: '0.3', flip: true };
    expect(formInputs(inputs, values)).toEqual({
      inputs: { photo: 'a'.repeat(64), caption: '© Pixelwire', strength: 0.3, boxes: [1], flip: true },
      problems: {},
    });
  });

  it('refuses JSON that does not parse and numbers that are not', () => {
    const { problems } = formInputs(inputs, { photo: 'x', boxes: '[', strength: 'many' });
    expect(problems).toEqual({ boxes: 'boxes must be valid JSON', strength: 'strength must be a number' });
  });
});
