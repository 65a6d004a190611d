/** Codes of everything that can be wrong with a graph document before it runs. */
export const validationCodes = [
  'invalid_json',
  'invalid_document',
  'unsupported_version',
  'duplicate_node_id',
  'unknown_node_type',
  'node_version_newer',
  'invalid_param',
  'unknown_param',
  'missing_input',
  'unknown_port',
  'dangling_edge',
  'incompatible_ports',
  'duplicate_connection',
  'cycle',
  'duplicate_name',
  'missing_graph_input',
  'invalid_graph_input',
  // pipeline nodes (a saved graph used as a node)
  'pipeline_not_found',
  'pipeline_forbidden',
  'pipeline_invalid',
  'pipeline_cycle',
  'pipeline_too_deep',
  'pipeline_too_large',
] as const;
export type ValidationCode = (typeof validationCodes)[number];

/** One problem with a document, tied to the node (and port or param) it concerns; nodeId is null for graph-level problems. */
export interface ValidationError {
  nodeId: string | null;
  port?: string;
  param?: string;
  code: ValidationCode;
  message: string;
}

export class GraphValidationError extends Error {
  override readonly name = 'GraphValidationError';
  constructor(readonly errors: ValidationError[]) {
    super(errors.map((e) => (e.nodeId ? `${e.nodeId}: ${e.message}` : e.message)).join('; '));
  }
}
