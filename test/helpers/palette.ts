import type { Locator, Page } from 'playwright-core';

/** How many times the palette is opened again when something closes it before the title is typed. */
const ATTEMPTS = 3;

/**
 * Runs a command from the command palette by its title, as a user would: F1, the title typed, Enter on the
 * row that shows it. `closeFirst` presses Escape before, for a palette or picker that may still be open.
 * The workbench may close a palette that has just opened (a panel an earlier command reveals takes the
 * focus a moment later): the palette is then opened again, up to ATTEMPTS times.
 */
export async function runCommand(page: Page, title: string, options: { closeFirst?: boolean } = {}): Promise<void> {
  if (options.closeFirst) await page.keyboard.press('Escape');
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (err) {
      if (attempt >= ATTEMPTS) throw err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
}

/**
 * Picks the quick pick row whose label is `label` (typing it, as a user narrows the list). `title`, when
 * given, is a part of the pick's title to wait for first: the quick input widget is one element shared by
 * the steps of a flow, so without it the text could go to the previous step's pick while it closes.
 */
export async function pick(page: Page, label: string, options: { title?: string } = {}): Promise<void> {
  const input = quickInput(page, options.title);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(label);
  const row = quickInputRow(page, label);
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** The quick input's row whose label is exactly `label`. */
export function quickInputRow(page: Page, label: string): Locator {
  return page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first();
}

/** The quick input's text box; with `title`, only while the quick input shows a title containing it. */
export function quickInput(page: Page, title?: string): Locator {
  const input = page.locator('.quick-input-widget input');
  // The input's accessible name ends with the pick's or box's title (VS Code's quick input sets it so).
  return title ? input.and(page.locator(`input[aria-label*=${JSON.stringify(title)}]`)) : input;
}
