import type { ArtifactStore, ImageLimits } from '../../nodes/context';
import { decodeImage } from '../../nodes/_impl/decode-image';
import { toGrey } from '../../nodes/_impl/pixel-image';
import { isNodeError } from '../../nodes/errors';
import type { PortValue } from '../../nodes/ports';
import type { GraphDocument } from '../../engine/graph-document';
import type { JobInput } from './run-job';
import type { RunError } from './wire-events';

/**
 * Resolves a job's graph inputs to port values: artifacts are fetched and
 * decoded under the image limits (a mask input is reduced to grey), plain
 * values pass through for the engine to check against the declared kind.
 */
export async function loadJobInputs(
  inputs: Record<string, JobInput>,
  document: GraphDocument,
  artifacts: ArtifactStore,
  limits: ImageLimits,
): Promise<{ values: Record<string, PortValue>; errors: RunError[] }> {
  const values: Record<string, PortValue> = {};
  const errors: RunError[] = [];
  await Promise.all(
    Object.entries(inputs).map(async ([name, input]) => {
      if (input.kind === 'value') {
        values[name] = input.value;
        return;
      }
      const fail = (code: string, message: string) => errors.push({ nodeId: null, input: name, code, message });
      const declared = document.inputs.find((i) => i.name === name);
      if (!declared) return fail('invalid_graph_input', `the graph has no input "${name}"`);
      if (declared.kind !== 'image' && declared.kind !== 'mask') {
        return fail('invalid_graph_input', `graph input "${name}" is ${declared.kind}; only image and mask inputs take an artifact`);
      }
      const found = await artifacts.get(input.artifactId);
      if (!found) return fail('artifact_not_found', `graph input "${name}": no artifact ${input.artifactId}`);
      try {
        const image = await decodeImage(found.bytes, limits, `graph input "${name}"`);
        values[name] = declared.kind === 'mask' ? toGrey(image) : image;
      } catch (error) {
        if (!isNodeError(error)) throw error;
        fail(error.code, error.message);
      }
    }),
  );
  return { values, errors };
}
