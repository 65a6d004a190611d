/**
 * Headers on every /api response (JSON, images, event streams): never sniffed into another type, never framed,
 * never rendered as a page with scripts (an image opened directly gets a sandboxed, script-less document), not
 * readable by other sites' pages, and no full URLs leak in Referer. Page responses get theirs from
 * next.config.js `headers()`.
 */
export const apiSecurityHeaders: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The response with apiSecurityHeaders set (a copy when its headers are immutable). */
export function withSecurityHeaders(response: Response): Response {
  try {
    for (const [name, value] of Object.entries(apiSecurityHeaders)) response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(apiSecurityHeaders)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
