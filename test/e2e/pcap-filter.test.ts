// End to end: the pcap-filter language in a real VS Code 1.100.3 (code-server) in Chromium, driven
// the way a user drives it: the file is opened, commands run from F1, a snippet is typed by its prefix
// and accepted from the suggest widget, the file saved. Scopes are read from the editor's own
// "Developer: Inspect Editor Tokens and Scopes" widget, i.e. from the workbench's TextMate tokenizer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../helpers/corpus';
import { runCommand } from '../helpers/palette';
import { e2eResultsDir, openWorkbench, waitFor, type Workbench } from '../helpers/workbench';

const resultsDir = e2eResultsDir;
const sampleLine = 'udp and src host 192.0.2.1 && dst port 0x18c7 or not tcp portrange 6000-6010';

// Token (first occurrence in sampleLine) → the innermost scope the grammar must give it.
const expectedScopes: Array<[token: string, scope: string]> = [
  ['udp', 'support.type.protocol.pcap-filter'],
  ['and', 'keyword.operator.logical.pcap-filter'],
  ['src', 'storage.modifier.direction.pcap-filter'],
  ['host', 'keyword.other.primitive.pcap-filter'],
  ['192.0.2.1', 'constant.numeric.ipv4.pcap-filter'],
  ['&&', 'keyword.operator.logical.pcap-filter'],
  ['dst', 'storage.modifier.direction.pcap-filter'],
  ['port', 'keyword.other.primitive.pcap-filter'],
  ['0x18c7', 'constant.numeric.hex.pcap-filter'],
  ['not', 'keyword.operator.logical.pcap-filter'],
  ['tcp', 'support.type.protocol.pcap-filter'],
  ['portrange', 'keyword.other.primitive.pcap-filter'],
  ['6000', 'constant.numeric.decimal.pcap-filter'],
];

// Snippet prefix → the line it must leave in the document once accepted.
const snippets: Array<[prefix: string, line: string]> = [
  ['sflow', 'udp port 6343'],
  ['bgp', 'tcp port 179'],
];

/** Puts the cursor inside the first occurrence of `token` on line 1. */
async function cursorInto(page: Page, token: string): Promise<void> {
  const column = sampleLine.indexOf(token) + 1;
  assert.ok(column > 0, `${token} is not in the sample line`);
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < column; i++) await page.keyboard.press('ArrowRight');
}

describe('pcap-filter in a real VS Code (code-server 4.100.3 in Chromium)', () => {
  let workbench: Workbench | undefined;
  let page: Page;
  let sampleFile: string;

  before(async () => {
    workbench = await openWorkbench({
      name: 'grammar',
      prepare: (workspace) => {
        sampleFile = path.join(workspace, 'sample.pcapfilter');
        writeFileSync(sampleFile, `${sampleLine}\n`);
      },
      openFile: 'sample.pcapfilter',
      ready: (p) => p.locator('.monaco-editor .view-lines', { hasText: 'portrange' }).first().waitFor({ timeout: 90_000 }),
    });
    page = workbench.page;
    await page.locator('.monaco-editor .view-lines').first().click();
  }, { timeout: 180_000 });

  after(async () => {
    // The workbench as the last test left it: the first thing to look at when one failed.
    await workbench?.close();
  });

  test('the editor shows the .pcapfilter file in the pcap filter language', async () => {
    await page.locator('#status\\.editor\\.mode', { hasText: 'pcap filter' }).waitFor({ timeout: 20_000 });
  });

  test('the extension activates: "labtel: Show Version" shows its version', async () => {
    const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    await runCommand(page, 'labtel: Show Version');
    await page.locator('.notifications-toasts .notification-toast', { hasText: `labtel ${version}` }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await page.locator('.monaco-editor .view-lines').first().click();
  });

  test('the editor tokens carry the grammar scopes', async (t) => {
    await page.keyboard.press('Control+Home');
    await runCommand(page, 'Developer: Inspect Editor Tokens and Scopes');
    const widget = page.locator('.token-inspect-widget');
    await widget.waitFor({ timeout: 20_000 });
    for (const [token, scope] of expectedScopes) {
      await t.test(`${token} → ${scope}`, async () => {
        await cursorInto(page, token);
        // The widget recomputes on every cursor move; wait until it shows this token.
        await widget.locator('.tiw-token', { hasText: new RegExp(`^${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\d+ chars?$`) })
          .waitFor({ timeout: 10_000 });
        const language = await widget.locator('tr', { hasText: 'language' }).locator('.tiw-metadata-value').first().innerText();
        assert.equal(language, 'pcap-filter');
        const scopes = (await widget.locator('.tiw-metadata-scopes').innerText()).split('\n').map((s) => s.trim()).filter(Boolean);
        assert.equal(scopes[0], scope, `scopes of "${token}": ${scopes.join(' ')}`);
        assert.equal(scopes.at(-1), 'source.pcap-filter');
      });
    }
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 10_000 });
  });

  test('typing a snippet prefix and accepting the suggestion inserts the filter', async (t) => {
    for (const [prefix, line] of snippets) {
      await t.test(`${prefix} → ${line}`, async () => {
        // Each snippet goes on a line of its own at the end (the file on disk is what the editor saved last).
        await page.keyboard.press('Control+End');
        if (!readFileSync(sampleFile, 'utf8').endsWith('\n')) await page.keyboard.press('Enter');
        await page.keyboard.type(prefix, { delay: 50 });
        // Enter accepts the focused suggestion: it must be the snippet, not some other word.
        const focused = page.locator('.editor-widget.suggest-widget .monaco-list-row.focused');
        await focused.waitFor({ timeout: 20_000 }).catch((err: Error) => {
          throw new Error(`typing "${prefix}" opened no suggestions: ${err.message}`);
        });
        assert.match(await focused.getAttribute('aria-label') ?? '', new RegExp(`^${prefix}\\b`), 'the focused suggestion');
        await page.keyboard.press('Enter');
        await page.keyboard.press('Escape'); // leaves snippet mode, if the snippet has placeholders
        await page.keyboard.press('Control+s');
        const saved = await waitFor(() => {
          const text = readFileSync(sampleFile, 'utf8');
          return text.split('\n').includes(line) ? text : undefined;
        }, { timeoutMs: 15_000, what: () => `after accepting "${prefix}" and saving, the file does not contain the line "${line}":\n${readFileSync(sampleFile, 'utf8')}` });
        assert.equal(saved.split('\n')[0], sampleLine, 'the first line is unchanged');
      });
    }
  });

  test('a screenshot of the editor is saved under test-results/', async () => {
    // The inspect widget open over one token, so the picture shows the scopes the test read.
    await cursorInto(page, 'portrange');
    await runCommand(page, 'Developer: Inspect Editor Tokens and Scopes');
    await page.locator('.token-inspect-widget .tiw-token', { hasText: 'portrange' }).waitFor({ timeout: 10_000 });
    const file = path.join(resultsDir, 'pcap-filter.png');
    await page.screenshot({ path: file });
    assert.ok(readFileSync(file).length > 10_000, 'the screenshot is not empty');
  });
});
