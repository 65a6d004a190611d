import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useBrowserApp } from './browser-app';
import { shot } from './browser';
import { signUp, unlabelledControls } from './page-checks';
import { waitFor } from './wait-for';

/**
 * Settings → Teams and the invitation link in a real browser, two people at once: an owner invites an address
 * that has no account yet and copies the invitation link from the team card; the invitee opens the link signed
 * out, creates an account from it (which joins nothing), comes back to the link, accepts and sees the team. The
 * owner cannot use the link, cancels another invitation, and a second invitation is declined in Settings.
 */
describe('team invitations in Chromium', () => {
  const session = useBrowserApp({ viewport: { width: 1200, height: 900 } });
  const newPage = () => session.newPage();
  let owner: Page;
  let invitee: Page;
  /** The path of the invitation link to Darkroom, as the owner copied it. */
  let linkPath: string;
  const stamp = Date.now();
  const ownerEmail = `ada-${stamp}@example.com`;
  const inviteeEmail = `ben-${stamp}@example.com`;
  const nobodyEmail = `nobody-${stamp}@example.com`;
  const invitationCard = (page: Page) => page.getByTestId('invitation');

  /** Invites through the team card; answers the link box it then shows. */
  async function invite(page: Page, team: string, email: string, role: string) {
    const card = page.getByRole('article', { name: team });
    await card.getByLabel('Email').fill(email);
    await card.getByLabel('Role', { exact: true }).selectOption(role);
    await card.getByRole('button', { name: 'Invite' }).click();
    await waitFor.visible(card.getByRole('status').filter({ hasText: `Invited ${email} as ${role}` }));
    const box = card.getByRole('group', { name: `Send this invitation link to ${email} (${role})` });
    await waitFor.visible(box);
    return box;
  }

  beforeAll(async () => {
    owner = await newPage();
    await owner.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.app.url });
    await signUp(owner, 'Ada', ownerEmail);
  }, 300_000);

  it('invites an address: the card shows the invitation link once, with Copy; the invitation is pending', async () => {
    await owner.goto('/settings');
    await owner.getByLabel('Team name').fill('Darkroom');
    await owner.getByRole('button', { name: 'Create team' }).click();
    const card = owner.getByRole('article', { name: 'Darkroom' });
    await waitFor.visible(card);

    const box = await invite(owner, 'Darkroom', inviteeEmail, 'runner');
    const url = await box.getByLabel(`Invitation link for ${inviteeEmail}`).inputValue();
    expect(url).toMatch(new RegExp(`^${session.app.url.replace(/[.]/g, '\\.')}/invitations/pwi_[A-Za-z0-9_-]{43}$`));
    expect(await box.textContent()).toContain('Pixelwire sends no email');
    await box.getByRole('button', { name: 'Copy' }).click();
    await waitFor.visible(box.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }));
    expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(url);
    linkPath = new URL(url).pathname;
    expect(await unlabelledControls(owner)).toEqual([]);
    await shot(owner, 'teams-01-invitation-link');

    // A second invitation shows its own link; the first is not shown again anywhere.
    const second = await invite(owner, 'Darkroom', nobodyEmail, 'runner');
    expect(await second.getByLabel(`Invitation link for ${nobodyEmail}`).inputValue()).not.toBe(url);
    await second.getByRole('button', { name: 'Done' }).click();
    await waitFor.gone(card.getByTestId('invitation-link'));
    const pending = card.getByRole('list', { name: 'Pending invitations to Darkroom' }).getByRole('listitem');
    await waitFor.count(pending, 2);
    expect(await pending.allTextContents()).toEqual([`${inviteeEmail} as runner Cancel`, `${nobodyEmail} as runner Cancel`]);
    await waitFor.count(card.getByRole('table').getByRole('row'), 2);
    expect(await owner.content()).not.toContain(linkPath);
  });

  it('the invitee opens the link signed out, creates an account from it and comes back: not a member yet', async () => {
    invitee = await newPage();
    await invitee.goto(linkPath);
    await waitFor.attribute(invitationCard(invitee), 'data-state', 'sign-in');
    expect(await invitationCard(invitee).getByRole('heading').textContent()).toBe('You have been invited to a team');
    await shot(invitee, 'teams-02-signed-out');
    await invitationCard(invitee).getByRole('link', { name: 'Create an account' }).click();
    await invitee.waitForURL((url) => url.pathname === '/sign-up' && url.searchParams.get('next') === linkPath);
    await invitee.getByLabel('Name').fill('Ben');
    await invitee.getByLabel('Email').fill(inviteeEmail);
    await invitee.getByLabel('Password').fill('correct horse battery');
    await invitee.getByRole('button', { name: 'Sign up' }).click();
    await invitee.waitForURL((url) => url.pathname === linkPath);

    // Back on the link: the team and the role, to accept or decline. Signing up joined nothing.
    await waitFor.attribute(invitationCard(invitee), 'data-state', 'open');
    expect(await invitationCard(invitee).getByRole('heading').textContent()).toBe('Join Darkroom');
    expect(await invitationCard(invitee).textContent()).toContain(`Ada (${ownerEmail}) invited you to the team Darkroom as runner`);
    expect(await unlabelledControls(invitee)).toEqual([]);
    await shot(invitee, 'teams-03-invitation-page');

    // Settings lists it (the header badge counts it) and points to the link; there is no Accept there.
    await invitee.goto('/settings');
    const invitations = invitee.getByRole('region', { name: 'Invitations for you' });
    await waitFor.visible(invitations);
    const item = invitations.getByRole('listitem');
    await waitFor.count(item, 1);
    await expect.poll(() => item.textContent()).toMatch(new RegExp(`^Darkroom as runnerInvited by Ada \\(${ownerEmail.replace(/[.]/g, '\\.')}\\)`));
    expect(await invitations.textContent()).toContain('To accept, open the invitation link the team’s owner sent you');
    expect(await invitations.getByRole('button', { name: /^Accept/ }).count()).toBe(0);
    await waitFor.visible(invitee.getByRole('link', { name: '1 pending team invitation' }));
    await expect.poll(() => invitee.getByText('You are not in any team yet.').count()).toBe(1);
    await shot(invitee, 'teams-04-settings-pending');
  });

  it('accepts on the link page and sees the team', async () => {
    await invitee.goto(linkPath);
    await waitFor.attribute(invitationCard(invitee), 'data-state', 'open');
    await invitationCard(invitee).getByRole('button', { name: 'Accept' }).click();
    await waitFor.attribute(invitationCard(invitee), 'data-state', 'joined');
    expect(await invitationCard(invitee).getByRole('status').textContent()).toBe('You are a member of Darkroom as runner.');
    await shot(invitee, 'teams-05-accepted');

    await invitationCard(invitee).getByRole('link', { name: 'Open Darkroom’s graphs' }).click();
    await invitee.waitForURL((url) => url.pathname === '/graphs' && url.searchParams.has('team'));
    const teamId = new URL(invitee.url()).searchParams.get('team')!;
    await waitFor.value(invitee.getByLabel('Team', { exact: true }), teamId);
    expect(await invitee.getByLabel('Team', { exact: true }).locator('option:checked').textContent()).toBe('Darkroom');
    await invitee.goto('/settings');
    await waitFor.visible(invitee.getByRole('article', { name: 'Darkroom' }).getByText('Your role: runner'));
    await waitFor.gone(invitee.getByRole('region', { name: 'Invitations for you' }));
    await waitFor.gone(invitee.getByTestId('invitation-badge'));
  });

  it('the link is for the invited address only: the owner who made it gets "not available"', async () => {
    await owner.goto(linkPath);
    await waitFor.attribute(invitationCard(owner), 'data-state', 'gone');
    expect(await invitationCard(owner).getByRole('alert').textContent()).toBe(
      'This invitation does not exist, has expired or was cancelled, or it is not for your address.',
    );
    expect(await invitationCard(owner).getByRole('button').count()).toBe(0);
  });

  it('shows the owner the new member; the owner cancels the other invitation', async () => {
    await owner.goto('/settings');
    const card = owner.getByRole('article', { name: 'Darkroom' });
    await waitFor.visible(card.getByRole('cell', { name: inviteeEmail }));
    await waitFor.value(card.getByLabel('Role of Ben'), 'runner');
    const pending = card.getByRole('list', { name: 'Pending invitations to Darkroom' }).getByRole('listitem');
    await waitFor.count(pending, 1);

    await card.getByRole('button', { name: `Cancel the invitation to ${nobodyEmail}` }).click();
    await waitFor.visible(card.getByRole('status').filter({ hasText: `Cancelled the invitation to ${nobodyEmail}.` }));
    await waitFor.count(pending, 0);
  });

  it('declines an invitation in Settings: it disappears, no team is joined, and its link is gone', async () => {
    await owner.getByLabel('Team name').fill('Second');
    await owner.getByRole('button', { name: 'Create team' }).click();
    await waitFor.visible(owner.getByRole('article', { name: 'Second' }));
    const box = await invite(owner, 'Second', inviteeEmail, 'editor');
    const secondPath = new URL(await box.getByLabel(`Invitation link for ${inviteeEmail}`).inputValue()).pathname;

    await invitee.reload();
    const invitations = invitee.getByRole('region', { name: 'Invitations for you' });
    await invitations.getByRole('button', { name: 'Decline the invitation to Second' }).click();
    await waitFor.visible(invitee.getByRole('status').filter({ hasText: 'Declined the invitation to Second.' }));
    await waitFor.gone(invitations);
    await waitFor.count(invitee.getByRole('article'), 1);

    await invitee.goto(secondPath);
    await waitFor.attribute(invitationCard(invitee), 'data-state', 'gone');

    await owner.reload();
    await waitFor.visible(owner.getByRole('article', { name: 'Second' }));
    await waitFor.count(owner.getByRole('list', { name: 'Pending invitations to Second' }), 0);
  });
});
