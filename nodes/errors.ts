/**
 * The error a node throws when its input or work fails in a way the user can act on.
 * The engine turns it into a structured run event naming the node and, when given, the port.
 */
export class NodeError extends Error {
  override readonly name = 'NodeError';
  constructor(
    readonly code: string,
    message: string,
    readonly details: { port?: string; param?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

export function isNodeError(error: unknown): error is NodeError {
  return error instanceof NodeError;
}
