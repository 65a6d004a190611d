import type { Locator, Page } from 'playwright-core';

/** Signs up a fresh account through the form and waits for the library. */
export async function signUp(page: Page, name: string, email = `${name.toLowerCase()}-${Date.now()}@example.com`): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/graphs');
}

/**
 * Controls with no accessible name, as outerHTML snippets (empty when every control is
 * labelled): inputs, selects, text areas, buttons, tabs and options under `scope` (the whole
 * page by default), named by aria-label, aria-labelledby, a <label>, their text or a title.
 */
export function unlabelledControls(scope: Page | Locator): Promise<string[]> {
  const root = 'mainFrame' in scope ? scope.locator('body') : scope;
  return root.evaluate((element) => {
    const controls = [...element.querySelectorAll('input:not([type=hidden]), select, textarea, button, [role=tab], [role=option]')];
    const named = (el: Element) => {
      if (el.getAttribute('aria-hidden') === 'true') return true;
      if ((el.getAttribute('aria-label') ?? '').trim()) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(' ').some((id) => (document.getElementById(id)?.textContent ?? '').trim())) return true;
      if ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) && [...(el.labels ?? [])].some((l) => (l.textContent ?? '').trim())) return true;
      if ((el.tagName === 'BUTTON' || el.getAttribute('role')) && (el.textContent ?? '').trim()) return true;
      return (el.getAttribute('title') ?? '').trim() !== '';
    };
    return controls.filter((el) => !named(el)).map((el) => el.outerHTML.slice(0, 120));
  });
}

/** A tRPC call over plain HTTP as the page's user (queries as GET with the input in the URL, mutations as JSON POST). */
export async function trpc<T>(on: Page, procedure: string, input: unknown, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
  const response =
    kind === 'query'
      ? await on.request.get(`/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`)
      : await on.request.post(`/api/trpc/${procedure}`, { data: input, headers: { 'x-pixelwire-request': '1' } });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (!response.ok() || !body.result) throw new Error(`${procedure}: ${response.status()} ${JSON.stringify(body.error)}`);
  return body.result.data;
}
