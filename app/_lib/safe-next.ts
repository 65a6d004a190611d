// Pure: imported by the sign-in form and its test.

const fallback = '/graphs';
const base = 'http://x';

/**
 * Where sign-in should send the user back to: a path on this site, never elsewhere. Browsers drop tabs and line
 * breaks inside URLs and read `\` as `/`, so `/\t/evil.example` or `/\evil.example` would leave the site: control
 * characters are removed first, `//` and `/\` refused, and the rest is parsed as a URL against a placeholder origin,
 * which it must keep. What comes back is the parsed path, query and fragment, itself never starting with `//`
 * (`/.//evil.example` resolves to one).
 */
export function safeNext(next: string | null | undefined): string {
  if (!next) return fallback;
  const cleaned = next.replace(/[\u0000-\u001f\u007f]/g, '');
  if (!cleaned.startsWith('/') || cleaned.startsWith('//') || cleaned.startsWith('/\\')) return fallback;
  let url: URL;
  try {
    url = new URL(cleaned, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || url.pathname.startsWith('//')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
