import type { AnyNodeDefinition, NodeDefinition, ParamsSchema, PortMap } from './define';

/** An explicit set of node definitions, looked up by type id. */
export class NodeRegistry {
  private readonly byType = new Map<string, AnyNodeDefinition>();

  constructor(definitions: readonly NodeDefinition<PortMap, ParamsSchema, PortMap>[]) {
    for (const def of definitions) {
      if (this.byType.has(def.type)) throw new Error(`node type ${def.type} is registered twice`);
      this.byType.set(def.type, def);
    }
  }

  get(type: string): AnyNodeDefinition | undefined {
    return this.byType.get(type);
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  list(): AnyNodeDefinition[] {
    return [...this.byType.values()];
  }
}
