import type { Metadata } from 'next';
import { SignedIn } from '../_components/session';
import { WorkersDashboard } from './_parts/workers-dashboard';

export const metadata: Metadata = { title: 'Workers · Pixelwire' };

/** /workers: the workers that execute runs (capabilities, state, current runs, heartbeats) and the queue of runs. */
export default function WorkersPage() {
  return (
    <SignedIn wide>
      <h1>Workers</h1>
      <p className="muted">Refreshed every 2 seconds while this tab is visible.</p>
      <WorkersDashboard />
    </SignedIn>
  );
}
