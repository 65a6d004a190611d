import type { Metadata } from 'next';
import { SignedIn } from '../_components/session';
import { TeamsSection } from './_parts/teams-section';
import { TokensSection } from './_parts/tokens-section';

export const metadata: Metadata = { title: 'Settings · Pixelwire' };

/** /settings: API tokens for scripts, and teams with their members. */
export default function SettingsPage() {
  return (
    <SignedIn>
      <h1>Settings</h1>
      <TokensSection />
      <TeamsSection />
    </SignedIn>
  );
}
