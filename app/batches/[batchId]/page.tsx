import type { Metadata } from 'next';
import { SignedIn } from '../../_components/session';
import { BatchView } from './_parts/batch-view';

export const metadata: Metadata = { title: 'Batch · Pixelwire' };

/** /batches/<id>: a batch's progress, its results as a gallery, failures, Cancel and the ZIP of all outputs. */
export default function BatchPage() {
  return (
    <SignedIn wide>
      <BatchView />
    </SignedIn>
  );
}
