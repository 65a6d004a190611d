import type { Metadata } from 'next';
import { SharedLink } from './_parts/shared-link';

export const metadata: Metadata = { title: 'Shared graph · Pixelwire', referrer: 'no-referrer' };

/** /s/<token>: a share link. View links show the graph and its latest outputs to anyone; run links are an app for signed-in users. */
export default function SharePage() {
  return <SharedLink />;
}
