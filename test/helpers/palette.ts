import type { Page } from 'playwright-core';

/**
 * Runs a command from the command palette by its title, as a user would: F1, the title typed, Enter on the
 * row that shows it. `closeFirst` presses Escape before, for a palette or picker that may still be open.
 */
export async function runCommand(page: Page, title: string, options: { closeFirst?: boolean } = {}): Promise<void> {
  if (options.closeFirst) await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}
