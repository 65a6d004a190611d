import { nodeCatalogue } from '../nodes/catalogue';
import { builtinRegistry } from '../nodes/registry';

export const dynamic = 'force-static';

/** Placeholder home until the editor lands: what Pixelwire can run today. */
export default function HomePage() {
  const catalogue = nodeCatalogue(builtinRegistry);
  return (
    <main>
      <h1>Pixelwire</h1>
      <p className="muted">
        Wire image nodes into graphs. The editor is on its way; the engine and the <code>pixelwire</code> command line run
        graphs today ({catalogue.length} node types).
      </p>
      <h2>Node types</h2>
      <ul className="grid">
        {catalogue.map((node) => (
          <li key={node.type} className="card">
            <strong>{node.title}</strong> <code>{node.type}</code>
            <div className="muted">{node.category}</div>
          </li>
        ))}
      </ul>
    </main>
  );
}
