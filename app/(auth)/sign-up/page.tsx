import type { Metadata } from 'next';
import { AuthPage } from '../../_components/auth-form';

export const metadata: Metadata = { title: 'Sign up · Pixelwire' };

export default function SignUpPage() {
  return <AuthPage mode="sign-up" />;
}
