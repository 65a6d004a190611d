import Link from 'next/link';
import { nodeCatalogue } from '../nodes/catalogue';
import { builtinRegistry } from '../nodes/registry';
import { HomeRedirect } from './_components/home-redirect';
import ui from './_components/ui.module.css';

export const dynamic = 'force-static';

/** The landing page: signed-in visitors are sent on to /graphs; everyone else sees what Pixelwire runs. */
export default function HomePage() {
  const catalogue = nodeCatalogue(builtinRegistry);
  return (
    <main>
      <HomeRedirect />
      <h1>Pixelwire</h1>
      <p className="muted">
        Wire image nodes into graphs, save them as pipelines, and run them on workers that stream every intermediate image. Graphs run
        in the browser editor, from scripts with an API token, and from the <code>pixelwire</code> command line ({catalogue.length} node
        types).
      </p>
      <p className={ui.row}>
        <Link href="/sign-in" className={ui.primary}>
          Sign in
        </Link>
        <Link href="/sign-up" className={ui.button}>
          Sign up
        </Link>
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
