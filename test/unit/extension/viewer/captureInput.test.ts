// What the capture viewer's host accepts from its webview: every message is checked before it is acted on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureMessage } from '../../../../src/extension/viewer/captureInput';

const cases: Array<{ name: string; message: unknown; accepted?: object; refused?: RegExp }> = [
  { name: 'a rows request of view 0', message: { type: 'capture/rowsRequest', view: 0, from: 0, to: 60 }, accepted: { type: 'capture/rowsRequest', view: 0, from: 0, to: 60 } },
  { name: 'a rows request of a filter\'s view', message: { type: 'capture/rowsRequest', view: 3, from: 100, to: 160, extra: 'dropped' }, accepted: { type: 'capture/rowsRequest', view: 3, from: 100, to: 160 } },
  { name: 'a rows request without a view', message: { type: 'capture/rowsRequest', from: 0, to: 60 }, refused: /view number/ },
  { name: 'a rows request backwards', message: { type: 'capture/rowsRequest', view: 0, from: 9, to: 2 }, refused: /from ≤ to/ },
  { name: 'a filter', message: { type: 'capture/filter', expression: 'udp port 6343' }, accepted: { type: 'capture/filter', expression: 'udp port 6343' } },
  { name: 'an empty filter (show every packet)', message: { type: 'capture/filter', expression: '' }, accepted: { type: 'capture/filter', expression: '' } },
  { name: 'a filter that is not text', message: { type: 'capture/filter', expression: 42 }, refused: /expression/ },
  { name: 'a filter longer than anyone types', message: { type: 'capture/filter', expression: 'ip or '.repeat(2000) }, refused: /at most 10000/ },
  { name: 'an export of the list shown', message: { type: 'capture/export' }, accepted: { type: 'capture/export' } },
  { name: 'an export of packet numbers', message: { type: 'capture/export', numbers: [1, 7] }, accepted: { type: 'capture/export', numbers: [1, 7] } },
  { name: 'an export of packet 0', message: { type: 'capture/export', numbers: [0] }, refused: /numbers ≥ 1/ },
  { name: 'an unknown type', message: { type: 'capture/delete' }, refused: /unknown message type/ },
];

for (const c of cases) {
  test(`webview message: ${c.name}`, () => {
    const r = parseCaptureMessage(c.message);
    if (c.accepted) assert.deepEqual(r, c.accepted);
    else assert.match(String(r), c.refused!);
  });
}
