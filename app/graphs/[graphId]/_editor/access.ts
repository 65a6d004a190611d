import type { Role } from '../../../../server/access/roles';
import type { EditMode } from './graph-store';

/** What the user may do on the open graph, and why not, from their role (graphs.get says it). */
export interface Access {
  role: Role | undefined;
  editMode: EditMode;
  canRun: boolean;
  canSave: boolean;
  /** Shown on the canvas when it is not fully editable. */
  notice?: string;
  /** Why Save is disabled. */
  saveReason?: string;
  /** Why Run is disabled. */
  runReason?: string;
}

/**
 * Owners and editors edit and save; runners change params and run but cannot save
 * (runs carry the canvas, so nothing needs saving); viewers only look. Unknown (still
 * loading): editable, the server refuses what the role does not allow anyway.
 */
export function accessFor(role: Role | undefined, teamName?: string): Access {
  const of = teamName ? ` of team ${teamName}` : '';
  switch (role) {
    case 'viewer':
      return {
        role,
        editMode: 'none',
        canRun: false,
        canSave: false,
        notice: `Read-only: you are a viewer${of}`,
        saveReason: `Viewers cannot save: you are a viewer${of}`,
        runReason: `Viewers cannot run: you are a viewer${of}`,
      };
    case 'runner':
      return {
        role,
        editMode: 'params',
        canRun: true,
        canSave: false,
        notice: `You can run this graph with changed params but not save it (you are a runner${of})`,
        saveReason: `Runners cannot save: ask an editor${of}`,
      };
    default:
      return { role, editMode: 'all', canRun: true, canSave: true };
  }
}
