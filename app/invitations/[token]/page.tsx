import type { Metadata } from 'next';
import { InvitationPage } from './_parts/invitation-page';

// The token is in the URL: no Referer carries it to anything this page links to.
export const metadata: Metadata = { title: 'Team invitation · Pixelwire', referrer: 'no-referrer' };

/** /invitations/<token>: the link a team owner sends; the invited person (signed in with that address) accepts or declines. */
export default function InvitationRoute() {
  return <InvitationPage />;
}
