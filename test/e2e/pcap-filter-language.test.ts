// End to end: the pcap-filter language server in a real VS Code 1.100.3 (code-server) in Chromium, used as a
// user uses it. A broken filter is typed into a .pcapfilter file: the squiggle the workbench draws lies under
// the word the server names (compared in pixels with the rendered word), and the Problems view lists the error
// with its line and column. Then the book's `ip and udp` is typed and "labtel: Show Compiled BPF" run: the
// listing VS Code shows beside the filter, read from the DOM, is `tcpdump -d 'ip and udp'`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../helpers/corpus';
import { runCommand } from '../helpers/palette';
import { tcpdumpCompile } from '../helpers/tcpdump';
import { have } from '../helpers/tools';
import { e2eResultsDir, openWorkbench, waitFor, type Workbench } from '../helpers/workbench';

const resultsDir = e2eResultsDir;
const capture = path.join(repoRoot, 'test', 'fixtures', 'bpf', 'varied.pcap');
/** The editor's tab size, set for the workbench: a tab in a listing is drawn as spaces up to the next stop. */
const TAB_SIZE = 4;

// The filter typed, and the word the server must mark (its first occurrence after `after` characters).
const broken = 'tcp and host and udp';
const markedWord = 'and';
const markedFrom = 'tcp and host '.length;
const message = "expected a host address after 'host', found 'and'";

/** A line with its tabs drawn as the editor draws them. */
function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(TAB_SIZE - (out.length % TAB_SIZE)) : ch;
  return out;
}

/** The text of an editor as drawn: its view lines in order of their vertical position, spaces as spaces. */
async function editorText(editor: Locator): Promise<string> {
  const lines = await editor.locator('.view-lines .view-line').evaluateAll((els) =>
    els.map((e) => ({ top: parseFloat((e as HTMLElement).style.top), text: (e as HTMLElement).innerText })));
  return lines.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' ')).join('\n');
}

describe('the pcap-filter language server in a real VS Code (code-server 4.100.3 in Chromium)', () => {
  let workbench: Workbench | undefined;
  let page: Page;

  before(async () => {
    workbench = await openWorkbench({
      name: 'lsp',
      prepare: (workspace) => writeFileSync(path.join(workspace, 'mistake.pcapfilter'), ''),
      openFile: 'mistake.pcapfilter',
      settings: { 'editor.tabSize': TAB_SIZE, 'editor.detectIndentation': false, 'editor.renderWhitespace': 'none', 'editor.minimap.enabled': false },
      ready: (p) => p.locator('#status\\.editor\\.mode', { hasText: 'pcap filter' }).waitFor({ timeout: 90_000 }),
    });
    page = workbench.page;
    await page.locator('.monaco-editor .view-lines').first().click();
  }, { timeout: 180_000 });

  after(async () => {
    await workbench?.close();
  });

  test('typing a broken filter draws the error squiggle under the word the server names', async () => {
    await page.keyboard.type(broken, { delay: 30 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    const squiggle = editor.locator('.view-overlays .squiggly-error');
    // The language server starts with the first filter document: give it time to start and answer.
    await squiggle.first().waitFor({ timeout: 60_000 });
    // The editor redraws its overlays as diagnostics arrive for each keystroke: the squiggle is measured once
    // two readings 250 ms apart agree (a reading of a node that was just replaced has no box).
    let box: { x: number; y: number; width: number; height: number } | null = null;
    for (let tries = 0; tries < 40; tries++) {
      const first = await squiggle.count() === 1 ? await squiggle.first().boundingBox().catch(() => null) : null;
      await page.waitForTimeout(250);
      const second = await squiggle.count() === 1 ? await squiggle.first().boundingBox().catch(() => null) : null;
      if (first && second && first.x === second.x && first.width === second.width) { box = second; break; }
    }
    assert.equal(await squiggle.count(), 1, 'one error squiggle');
    assert.ok(box, 'the squiggle is drawn and stays put');

    // The word as drawn: the line's characters are measured from the rendered text with a DOM range.
    const word = await editor.locator('.view-lines .view-line').first().evaluate((line, [from, length]) => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        if (seen + text.length > from) {
          const range = document.createRange();
          range.setStart(n, from - seen);
          range.setEnd(n, from - seen + length);
          const r = range.getBoundingClientRect();
          return { x: r.x, width: r.width, y: r.y, height: r.height };
        }
        seen += text.length;
      }
      return undefined;
    }, [markedFrom, markedWord.length] as const);
    assert.ok(word, 'the marked word is not drawn');
    assert.ok(Math.abs(box.x - word.x) <= 1, `squiggle starts at x=${box.x}, '${markedWord}' at x=${word.x}`);
    assert.ok(Math.abs(box.width - word.width) <= 1, `squiggle ${box.width} px wide, '${markedWord}' ${word.width} px`);
    assert.ok(box.y >= word.y - 2 && box.y <= word.y + word.height + 2, 'the squiggle is on the word\'s line');
  });

  test('the Problems view lists the error with its line and column', async (t) => {
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: message });
    await row.first().waitFor({ timeout: 20_000 });
    const text = await row.first().innerText();
    assert.match(text, new RegExp(`\\[Ln 1, Col ${markedFrom + 1}\\]`), text);
    assert.match(text, /pcap-filter/, 'the source');
    await page.screenshot({ path: path.join(resultsDir, 'pcap-filter-diagnostic.png') });
    t.diagnostic(`Problems: ${text.replace(/\s+/g, ' ')}`);
  });

  test("Show Compiled BPF opens beside the filter the listing tcpdump -d prints for the book's 'ip and udp'", async (t) => {
    if (!have('tcpdump')) {
      if (process.env.CI === 'true') assert.fail('needs tcpdump, the oracle of the listing');
      t.skip('needs tcpdump');
      return;
    }
    const libpcap = tcpdumpCompile(capture, 'ip and udp');
    assert.ok(libpcap.ok, libpcap.error);
    const filterEditor = page.locator('.editor-instance .monaco-editor').first();
    await filterEditor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ip and udp', { delay: 30 });
    // The squiggle goes once the server has judged the new text.
    await filterEditor.locator('.view-overlays .squiggly-error').waitFor({ state: 'detached', timeout: 20_000 });

    await runCommand(page, 'labtel: Show Compiled BPF');
    const tab = page.locator('.tab', { hasText: 'mistake.bpfasm' });
    await tab.waitFor({ timeout: 20_000 });
    // The listing's editor group: the one whose active tab is the listing.
    const group = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: 'mistake.bpfasm' }) });
    const listing = group.locator('.editor-instance .monaco-editor');
    await listing.locator('.view-line', { hasText: 'ret' }).first().waitFor({ timeout: 20_000 });
    const want = libpcap.stdout.trimEnd().split('\n').map(expandTabs).join('\n');
    let last = '';
    const shown = await waitFor(async () => {
      last = await editorText(listing);
      return last.trimEnd() === want ? last : undefined;
    }, { timeoutMs: 10_000, what: () => `the listing shown is not tcpdump -d's:\n${last}\n--- want ---\n${want}` });
    assert.equal(shown.trimEnd(), want);
    // Beside the filter: two editor groups side by side.
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'the listing opens beside the filter');
    const file = path.join(resultsDir, 'pcap-filter-compiled.png');
    await page.screenshot({ path: file });
    assert.ok(readFileSync(file).length > 10_000, 'the screenshot is not empty');
  });
});
