import type { Metadata } from 'next';
import { SignedIn } from '../../../_components/session';
import { RunHistory } from '../../_runs/run-history';

export const metadata: Metadata = { title: 'Runs · Pixelwire' };

/** /graphs/<id>/runs: the run history of one graph (components live in app/graphs/_runs). */
export default function RunsPage() {
  return (
    <SignedIn wide>
      <RunHistory />
    </SignedIn>
  );
}
