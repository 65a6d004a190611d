/** Who is asking: a signed-in user (cookie session) or a script (API token). */
export interface Viewer {
  userId: string;
  email: string;
  name: string;
  via: 'session' | 'token';
  sessionId?: string;
}
