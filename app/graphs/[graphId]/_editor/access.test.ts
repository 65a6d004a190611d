import { describe, expect, it } from 'vitest';
import { accessFor } from './access';

describe('accessFor', () => {
  it('lets owners and editors do everything', () => {
    for (const role of ['owner', 'editor', undefined] as const) expect(accessFor(role)).toEqual({ role, editMode: 'all', canRun: true, canSave: true });
  });
  it('lets runners change params and run, not save, and says why', () => {
    expect(accessFor('runner', 'Lab')).toMatchObject({
      editMode: 'params',
      canRun: true,
      canSave: false,
      notice: 'You can run this graph with changed params but not save it (you are a runner of team Lab)',
      saveReason: 'Runners cannot save: ask an editor of team Lab',
    });
  });
  it('makes the canvas read-only for viewers', () => {
    expect(accessFor('viewer', 'Lab')).toMatchObject({ editMode: 'none', canRun: false, canSave: false, notice: 'Read-only: you are a viewer of team Lab' });
  });
});
