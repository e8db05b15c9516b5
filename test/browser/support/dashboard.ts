// What a person does in the dashboard, by accessible names only (the names outside tests rely on).

import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The main navigation's links, by accessible name. */
export const NAV_LINKS = ['Contacts', 'Templates', 'Campaigns', 'Senders', 'Settings'];

/** Fills the sign-in form and submits it (the outcome is the caller's to check). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in from the sign-in page and waits for the overview. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await submitSignIn(page, email, password);
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}

/** Signs out through the account menu and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account: / }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

/** Asserts that the navigation shows every link of NAV_LINKS. */
export async function expectNavigation(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const name of NAV_LINKS) expect(await nav.getByRole('link', { name, exact: true }).isVisible()).toBe(true);
}

/** Waits until the page shows this text. */
export async function waitForText(page: Page, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor();
}

/** The text of the element that has the keyboard focus. */
export function focusedText(page: Page): Promise<string | null> {
  // A string, not a function: this file is type-checked without the DOM's types.
  return page.evaluate<string | null>('document.activeElement && document.activeElement.textContent');
}

/**
 * Asserts that the page fits the viewport's width once it has reflowed. Charts redraw at a new
 * width from a resize observer a frame or two after the viewport changes, so a measure taken at
 * once can catch the old layout; a page that still overflows after two seconds does not fit.
 */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  const deadline = Date.now() + 2_000;
  while ((await overflow()) > 0 && Date.now() < deadline) await page.waitForTimeout(100);
  expect(await overflow()).toBeLessThanOrEqual(0);
}
