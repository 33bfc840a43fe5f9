// package.json as VS Code reads it: JSON.parse keeps the last of two equal keys, so a second "editor/title"
// silently drops the first one's menu items (the capture viewer's title-bar actions were lost that way).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/corpus';

const text = readFileSync(path.join(repoRoot, 'package.json'), 'utf8');

/** Keys that appear twice in one object, with the line of the second. */
function duplicateKeys(json: string): string[] {
  const found: string[] = [];
  const stack: Array<Set<string> | undefined> = [];
  let line = 1;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (c === '\n') line++;
    else if (c === '{') { stack.push(new Set()); expectKey = true; }
    else if (c === '[') { stack.push(undefined); expectKey = false; }
    else if (c === '}' || c === ']') { stack.pop(); expectKey = false; }
    else if (c === ',') expectKey = stack.at(-1) !== undefined;
    else if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const value = JSON.parse(json.slice(i, j + 1)) as string;
      const keys = stack.at(-1);
      if (expectKey && keys) {
        if (keys.has(value)) found.push(`${value} (line ${line})`);
        keys.add(value);
        expectKey = false;
      }
      i = j;
    }
  }
  return found;
}

test('package.json names no key twice in one object', () => {
  assert.deepEqual(duplicateKeys(text), []);
  assert.deepEqual(duplicateKeys('{"a": {"b": 1, "c": [{"b": 2}], "b": 3}}'), ['b (line 1)'], 'the check finds a duplicate');
});

test('every command in a menu is a contributed command', () => {
  const manifest = JSON.parse(text) as { contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command?: string }>> } };
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  const missing = Object.entries(manifest.contributes.menus).flatMap(([menu, items]) => items.filter((i) => i.command && !declared.has(i.command)).map((i) => `${menu}: ${i.command}`));
  assert.deepEqual(missing, []);
});
