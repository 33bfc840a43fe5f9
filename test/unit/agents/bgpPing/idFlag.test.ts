import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { agentBundle } from '../../../helpers/agentProcess';

// bgp-ping's -id is a name on the wire that panels show as text: any printable text fits labtel's v1
// layout (one length octet), the book's layout keeps its 15 ASCII octets, and no control character is
// ever an id (the primer's id holds one, so a real speaker's can never equal it).
const cases: Array<[name: string, args: string[], stderr: RegExp]> = [
  ['a control character is refused', ['-id', 'host\u00011'], /-id "host\\u00011": printable characters only, no control characters/],
  ['more than 255 octets is refused', ['-id', 'é'.repeat(128)], /at most 255 octets/],
  ['markup with spaces is refused in the book layout', ['-id', '<img src=x onerror=alert(1)>', '--wire', 'book'], /the book's probe layout \(--wire book\) holds 1 to 15 printable ASCII characters/],
  ['markup with spaces is a valid v1 id (the next missing flag is what stops it)', ['-id', '<img src=x onerror=alert(1)>'], /-nlri is required/],
  ['a UTF-8 id is a valid v1 id', ['-id', 'hôte-1'], /-nlri is required/],
];

for (const [name, args, stderr] of cases) {
  test(`bgp-ping -id: ${name}`, () => {
    const r = spawnSync(process.execPath, [agentBundle('bgp-ping'), ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, stderr);
  });
}
