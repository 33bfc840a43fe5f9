import type { Locator, Page } from 'playwright-core';
import { fillQuickInput, quickInputRow, runCommand } from './palette';

/** Waits until `pred` holds for what `probe` resolves to, or `ms` pass; returns the last value. */
export async function until<T>(probe: () => Promise<T>, pred: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (pred(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Types `text` into quick access (F1, then the text in place of its ">": a file's name opens Quick Open,
 * ":N" Go to Line) and presses Enter, once `row` (when given) is listed.
 */
export async function quickAccess(page: Page, text: string, row?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // The workbench may close a quick input that has just opened (a view taking the focus a moment later): open it again.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await fillQuickInput(input, text);
      if (row) await page.locator('.quick-input-list .monaco-list-row', { hasText: row }).first().waitFor({ timeout: 15_000 });
      else await page.waitForTimeout(300);
      await input.press('Enter', { timeout: 5_000 }); // on the box: never a line break in the file
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.waitForTimeout(500);
    }
  }
}

/** Opens `fileName` with Quick Open, goes to `line` and toggles a breakpoint there with F9, as a user does. */
export async function toggleBreakpoint(page: Page, fileName: string, line: number): Promise<void> {
  await quickAccess(page, fileName, fileName);
  await page.locator('.tab.active', { hasText: fileName }).first().waitFor({ timeout: 15_000 });
  await quickAccess(page, `:${line}`);
  await page.locator('.quick-input-widget input').waitFor({ state: 'hidden', timeout: 10_000 });
  await page.waitForTimeout(300);
  await page.keyboard.press('F9');
  await page.locator('.monaco-editor .margin .codicon-debug-breakpoint, .monaco-editor .margin .codicon-debug-breakpoint-unverified').first().waitFor({ timeout: 10_000 });
}

/** What the workbench shows of a pause: the Call Stack's top frame and the line number beside the editor's highlighted line. */
export interface PausedView {
  readonly fileName: string | undefined;
  /** The top frame's line, from its "line:column" badge. */
  readonly line: number;
  readonly functionName: string | undefined;
  /** The gutter's line number(s) level with the top stack frame's highlighted line. */
  readonly highlightedLine: string[];
}

/** Waits for the editor's top-stack-frame highlight (up to `timeoutMs`), then reads the pause from the DOM. */
export async function pausedView(page: Page, timeoutMs: number): Promise<PausedView> {
  const highlight = page.locator('.monaco-editor .debug-top-stack-frame-line').first();
  await highlight.waitFor({ timeout: timeoutMs });
  const frame = page.locator('.debug-call-stack .monaco-list-row .stack-frame').first();
  await frame.waitFor({ timeout: 15_000 });
  const lineText = (await frame.locator('.line-number').textContent())?.trim() ?? '';
  const box = await highlight.boundingBox();
  const numbers = await page.locator('.monaco-editor .margin .line-numbers').evaluateAll((els) => els.map((e) => ({ text: e.textContent?.trim() ?? '', y: e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2 })));
  return {
    fileName: (await frame.locator('.file-name').textContent())?.trim(),
    line: Number(lineText.split(':')[0]),
    functionName: (await frame.locator('.label').first().textContent())?.trim(),
    highlightedLine: box ? numbers.filter((n) => Math.abs(n.y - (box.y + box.height / 2)) < box.height / 2).map((n) => n.text) : [],
  };
}

/** The names the Variables view lists (Code 1.100 renders "name =" for a variable with a value). */
export async function variableNames(page: Page): Promise<string[]> {
  return (await page.locator('.debug-variables .monaco-list-row .expression .name').allTextContents()).map((n) => n.replace(/\s*[:=]$/, '').trim());
}

/**
 * "Debug: Select and Start Debugging" narrowed to the launch configuration `name`: its row, listed and not
 * yet clicked (a caller timing the launch starts its clock at the click).
 */
export async function debugConfigurationRow(page: Page, name: string): Promise<Locator> {
  await runCommand(page, 'Debug: Select and Start Debugging', { closeFirst: true });
  // The command turns the palette into the debug quick access: its prefix "debug " stays in the input.
  const input = page.locator('.quick-input-widget input');
  await until(() => input.inputValue(), (v) => v.startsWith('debug '), 10_000);
  await fillQuickInput(input, `debug ${name}`);
  const row = quickInputRow(page, name);
  await row.waitFor({ timeout: 15_000 });
  return row;
}
