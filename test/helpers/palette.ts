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
      await fillQuickInput(input, `>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      // On the box, not the page: an Enter the editor got would put a line break in the user's file.
      await input.press('Enter', { timeout: 5_000 });
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
  await fillQuickInput(input, label);
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

/**
 * Puts `text` in the quick input's box, as typing it would: the value and the box's input event in one step
 * inside the page. Playwright's fill() focuses the box, then inserts the text into whatever has the focus a
 * moment later; when the workbench closed the quick input in between (an editor just opened taking the focus),
 * the text went into that editor instead — a clean clone's CI run typed "normaliseSflow.ts" into launch.json
 * so, which F5 then saved. Here the text reaches the box or nothing; a box that closed throws, and the
 * caller opens it again.
 */
export async function fillQuickInput(input: Locator, text: string): Promise<void> {
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  const value = await input.evaluate((el, t) => {
    const box = el as HTMLInputElement;
    box.focus();
    box.value = t;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    return document.activeElement === box ? box.value : undefined;
  }, text, { timeout: 5_000 });
  if (value !== text) throw new Error(`the quick input lost the focus while ${JSON.stringify(text)} was put in it`);
}
