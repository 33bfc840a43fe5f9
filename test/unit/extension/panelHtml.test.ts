// The panels' page and what the extension accepts from a webview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, panelCsp, panelHtml } from '../../../src/extension/panels/html';
import { parseWebviewMessage } from '../../../src/extension/panels/webviewInput';

test('the page carries a CSP that allows nothing by default and the script by its nonce only', () => {
  const nonce = makeNonce();
  const html = panelHtml({ cspSource: 'https://x.vscode-cdn.net', nonce, title: 'labtel: "Flows"', scriptUri: 'https://x.vscode-cdn.net/dist/media/flows.js', styleUris: ['https://x.vscode-cdn.net/dist/media/flows.css'] });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.equal(csp, panelCsp('https://x.vscode-cdn.net', nonce).replace(/'/g, '&#39;'));
  assert.match(csp!, /^default-src &#39;none&#39;; script-src &#39;nonce-[A-Za-z0-9+/=]{24}&#39;; style-src https:\/\/x\.vscode-cdn\.net;/);
  assert.doesNotMatch(csp!, /unsafe/);
  assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/]/g, '\\$&')}" src="https://x.vscode-cdn.net/dist/media/flows.js"></script>`));
  assert.match(html, /<title>labtel: &quot;Flows&quot;<\/title>/);
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, no inline one');
  assert.notEqual(makeNonce(), nonce);
});

const messages: Array<[name: string, input: unknown, expected: unknown]> = [
  ['ready', { type: 'ready', extra: 1 }, { type: 'ready' }],
  ['a detail request for a row id', { type: 'flows/detailRequest', id: 7 }, { type: 'flows/detailRequest', id: 7 }],
  ['a detail request without an integer id', { type: 'flows/detailRequest', id: '7' }, /id "7" is not a row id/],
  ['a filter to capture', { type: 'flows/captureFlow', filter: 'host 192.0.2.1 and udp port 53' }, { type: 'flows/captureFlow', filter: 'host 192.0.2.1 and udp port 53' }],
  ['a filter of two lines', { type: 'flows/copyFilter', filter: 'host a\nhost b' }, /one line/],
  ['talkers settings', { type: 'talkers/config', window: 10, top: 20, by: 'packets' }, { type: 'talkers/config', window: 10, top: 20, by: 'packets' }],
  ['talkers settings with an unknown unit', { type: 'talkers/config', window: 10, top: 20, by: 'flows' }, /by bytes\|packets\|samples expected/],
  ['an unknown type', { type: 'rm -rf' }, /unknown message type "rm -rf"/],
  ['not an object', 'ready', /not an object/],
];
for (const [name, input, expected] of messages) {
  test(`a webview message: ${name}`, () => {
    const got = parseWebviewMessage(input);
    if (expected instanceof RegExp) assert.match(String(got), expected);
    else assert.deepEqual(got, expected);
  });
}
