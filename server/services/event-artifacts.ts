import { z } from 'zod';
import type { WireEvent } from '../runs/wire-events';

export interface EventArtifact {
  sha256: string;
  mediaType: string;
  width?: number;
  height?: number;
}

const zSavedFile = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/), mediaType: z.string().max(100) });

/** Artifacts an event refers to (previews and image outputs), so downloads can be authorised by run. */
export function artifactsOf(event: WireEvent): EventArtifact[] {
  const found: EventArtifact[] = [];
  if (event.type === 'node.preview') found.push({ sha256: event.preview.artifactId, mediaType: event.preview.mediaType, width: event.preview.width, height: event.preview.height });
  if (event.type === 'node.finished' || event.type === 'node.cached' || event.type === 'run.finished') {
    for (const output of Object.values(event.outputs)) {
      if ('artifactId' in output) {
        found.push({ sha256: output.artifactId, mediaType: output.mediaType, width: output.width, height: output.height });
        found.push({ sha256: output.preview.artifactId, mediaType: output.preview.mediaType, width: output.preview.width, height: output.preview.height });
      } else {
        // Files written by save nodes: { id, mediaType, … } values.
        const saved = zSavedFile.safeParse(output.value);
        if (saved.success) found.push({ sha256: saved.data.id, mediaType: saved.data.mediaType });
      }
    }
  }
  return found;
}
