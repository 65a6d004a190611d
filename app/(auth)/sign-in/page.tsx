import type { Metadata } from 'next';
import { AuthPage } from '../../_components/auth-form';

export const metadata: Metadata = { title: 'Sign in · Pixelwire' };

export default function SignInPage() {
  return <AuthPage mode="sign-in" />;
}
