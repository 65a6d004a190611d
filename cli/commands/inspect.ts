import { nodeCatalogue } from '../../nodes/catalogue';
import { builtinRegistry } from '../../nodes/registry';
import { graphDocumentJsonSchema } from '../../engine/graph-document';
import { validateDocument } from '../../engine/validate';
import { readDocumentFile } from '../read-document';

/** `pixelwire validate`: 0 when valid, 2 with the structured errors otherwise. */
export async function validateCommand(path: string, json: boolean): Promise<number> {
  const result = validateDocument(await readDocumentFile(path), builtinRegistry);
  if (json) {
    const body = result.ok
      ? { valid: true, nodes: result.plan.nodes.length, upgradedFrom: result.upgradedFrom }
      : { valid: false, errors: result.errors };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else if (result.ok) {
    const upgraded = result.upgradedFrom !== undefined ? ` (upgraded from version ${result.upgradedFrom})` : '';
    process.stdout.write(`valid: ${result.plan.nodes.length} nodes${upgraded}\n`);
  } else {
    for (const e of result.errors) {
      const where = [e.nodeId, e.port ?? e.param].filter(Boolean).join('.') || 'graph';
      process.stdout.write(`${where}: ${e.code}: ${e.message}\n`);
    }
  }
  return result.ok ? 0 : 2;
}

/** `pixelwire nodes`: a table, or with --json the full catalogue. */
export function nodesCommand(json: boolean): number {
  const catalogue = nodeCatalogue(builtinRegistry);
  if (json) {
    process.stdout.write(`${JSON.stringify(catalogue, null, 2)}\n`);
    return 0;
  }
  for (const entry of catalogue) {
    const ins = entry.inputs.map((p) => `${p.name}:${p.kind}${p.optional ? '?' : ''}`).join(', ');
    const outs = entry.outputs.map((p) => `${p.name}:${p.kind}`).join(', ');
    process.stdout.write(`${entry.type.padEnd(22)} ${entry.category.padEnd(16)} ${entry.title.padEnd(24)} (${ins}) → (${outs})\n`);
  }
  return 0;
}

export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(graphDocumentJsonSchema(), null, 2)}\n`);
  return 0;
}
