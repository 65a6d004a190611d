import type { Metadata } from 'next';
import { SignedIn } from '../_components/session';
import { Library } from './_library/library';

export const metadata: Metadata = { title: 'Graphs · Pixelwire' };

/** /graphs: the library of the chosen team (?team=) or of everything the user can see. */
export default function GraphsPage() {
  return (
    <SignedIn wide>
      <Library />
    </SignedIn>
  );
}
