import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

/** Waits for conditions on the page (polling the DOM until true or the timeout), never for a fixed time. */
export const waitFor = {
  visible: (locator: Locator, timeout = 15_000) => locator.first().waitFor({ state: 'visible', timeout }),
  gone: (locator: Locator, timeout = 15_000) => expect.poll(() => locator.count(), { timeout }).toBe(0),
  count: (locator: Locator, n: number, timeout = 15_000) => expect.poll(() => locator.count(), { timeout }).toBe(n),
  attribute: (locator: Locator, name: string, value: string, timeout = 15_000) =>
    expect.poll(() => locator.getAttribute(name), { timeout }).toBe(value),
  value: (locator: Locator, value: string, timeout = 15_000) => expect.poll(() => locator.inputValue(), { timeout }).toBe(value),
};
