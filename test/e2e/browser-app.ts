import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startApp, type RunningApp } from './app-server';
import { launchBrowser } from './browser';

export interface BrowserApp {
  /** The running app (set once the file's first beforeAll ran). */
  readonly app: RunningApp;
  /** A page in a browser context of its own (its own cookies, so another user), closed after the file's tests. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the hooks every browser test file needs: before its tests, the production app (its own data folder)
 * and Debian's Chromium; after them, every context, the browser and the app are closed. Register it before the
 * file's own hooks, which then open pages with `newPage()`. `env` is set before the app starts.
 */
export function useBrowserApp(defaults: BrowserContextOptions, env: Record<string, string> = {}): BrowserApp {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    Object.assign(process.env, env);
    app = await startApp();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.stop();
  });
  return {
    get app() {
      if (!app) throw new Error('the app has not started yet');
      return app;
    },
    async newPage(options = {}) {
      if (!browser || !app) throw new Error('the browser has not started yet');
      const context = await browser.newContext({ baseURL: app.url, ...defaults, ...options });
      contexts.push(context);
      return context.newPage();
    },
  };
}
