// Shared by the server's cross-site check and the browser's fetches. No imports: app/ code loads this module in the
// browser.

/**
 * The header the app's own code sends with every state-changing request. A page on another site cannot send it
 * without a CORS preflight, which the API never grants, so a cookie-authenticated mutation that carries it (or a
 * JSON content type, which needs a preflight too) comes from the app itself. See server/http/request-guard.ts.
 */
export const appRequestHeader = 'x-pixelwire-request';

/** The app's request headers, ready to spread into fetch options or a tRPC link's `headers`. */
export const appRequestHeaders: Readonly<Record<string, string>> = { [appRequestHeader]: '1' };
