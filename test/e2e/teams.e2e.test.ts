import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from './app-server';
import { launchBrowser, shot } from './browser';
import { signUp, unlabelledControls } from './page-checks';
import { waitFor } from './wait-for';

/**
 * Settings → Teams in a real browser, two people at once: an owner invites an address that
 * has an account and one that has none (both just pending), the invitee accepts in their own
 * settings, the owner cancels the other invitation, and a second invitation is declined.
 */
describe('team invitations in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let owner: Page;
  let invitee: Page;
  const stamp = Date.now();
  const ownerEmail = `ada-${stamp}@example.com`;
  const inviteeEmail = `ben-${stamp}@example.com`;
  const nobodyEmail = `nobody-${stamp}@example.com`;

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    return context.newPage();
  }

  async function invite(page: Page, team: string, email: string, role: string): Promise<void> {
    const card = page.getByRole('article', { name: team });
    await card.getByLabel('Email').fill(email);
    await card.getByLabel('Role', { exact: true }).selectOption(role);
    await card.getByRole('button', { name: 'Invite' }).click();
    await waitFor.visible(card.getByRole('status').filter({ hasText: `Invited ${email} as ${role}` }));
  }

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    [owner, invitee] = await Promise.all([newPage(), newPage()]);
    await signUp(owner, 'Ada', ownerEmail);
    await signUp(invitee, 'Ben', inviteeEmail);
  }, 300_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.stop();
  });

  it('invites an address with an account and one without: both are only pending', async () => {
    await owner.goto('/settings');
    await owner.getByLabel('Team name').fill('Darkroom');
    await owner.getByRole('button', { name: 'Create team' }).click();
    const card = owner.getByRole('article', { name: 'Darkroom' });
    await waitFor.visible(card);

    await invite(owner, 'Darkroom', inviteeEmail, 'runner');
    await invite(owner, 'Darkroom', nobodyEmail, 'runner');
    const pending = card.getByRole('list', { name: 'Pending invitations to Darkroom' }).getByRole('listitem');
    await waitFor.count(pending, 2);
    expect(await pending.allTextContents()).toEqual([`${inviteeEmail} as runner Cancel`, `${nobodyEmail} as runner Cancel`]);
    // Ben has an account, yet he is not a member until he accepts.
    await waitFor.count(card.getByRole('table').getByRole('row'), 2);
    expect(await unlabelledControls(owner)).toEqual([]);
    await shot(owner, 'teams-01-pending');
  });

  it('shows the invitee the invitation in Settings → Teams; accepting joins the team', async () => {
    await invitee.goto('/settings');
    const invitations = invitee.getByRole('region', { name: 'Invitations for you' });
    await waitFor.visible(invitations);
    const item = invitations.getByRole('listitem');
    await waitFor.count(item, 1);
    await expect.poll(() => item.textContent()).toMatch(new RegExp(`^Darkroom as runnerInvited by Ada \\(${ownerEmail.replace(/[.]/g, '\\.')}\\)`));
    await expect.poll(() => invitee.getByText('You are not in any team yet.').count()).toBe(1);
    expect(await unlabelledControls(invitee)).toEqual([]);
    await shot(invitee, 'teams-02-invitation');

    await invitations.getByRole('button', { name: 'Accept the invitation to Darkroom' }).click();
    await waitFor.visible(invitee.getByRole('status').filter({ hasText: 'You joined Darkroom as runner.' }));
    await waitFor.gone(invitations);
    await waitFor.visible(invitee.getByRole('article', { name: 'Darkroom' }).getByText('Your role: runner'));
    await shot(invitee, 'teams-03-accepted');
  });

  it('shows the owner the new member; the owner cancels the other invitation', async () => {
    await owner.reload();
    const card = owner.getByRole('article', { name: 'Darkroom' });
    await waitFor.visible(card.getByRole('cell', { name: inviteeEmail }));
    await waitFor.value(card.getByLabel('Role of Ben'), 'runner');
    const pending = card.getByRole('list', { name: 'Pending invitations to Darkroom' }).getByRole('listitem');
    await waitFor.count(pending, 1);

    await card.getByRole('button', { name: `Cancel the invitation to ${nobodyEmail}` }).click();
    await waitFor.visible(card.getByRole('status').filter({ hasText: `Cancelled the invitation to ${nobodyEmail}.` }));
    await waitFor.count(pending, 0);
  });

  it('declines an invitation: it disappears and no team is joined', async () => {
    await owner.getByLabel('Team name').fill('Second');
    await owner.getByRole('button', { name: 'Create team' }).click();
    await waitFor.visible(owner.getByRole('article', { name: 'Second' }));
    await invite(owner, 'Second', inviteeEmail, 'editor');

    await invitee.reload();
    const invitations = invitee.getByRole('region', { name: 'Invitations for you' });
    await invitations.getByRole('button', { name: 'Decline the invitation to Second' }).click();
    await waitFor.visible(invitee.getByRole('status').filter({ hasText: 'Declined the invitation to Second.' }));
    await waitFor.gone(invitations);
    await waitFor.count(invitee.getByRole('article'), 1);

    await owner.reload();
    await waitFor.visible(owner.getByRole('article', { name: 'Second' }));
    await waitFor.count(owner.getByRole('list', { name: 'Pending invitations to Second' }), 0);
  });
});
