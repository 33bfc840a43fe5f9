import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS, KEYS, SECTION } from '../../../src/extension/settings';
import { repoRoot } from '../../helpers/corpus';

const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};
const declared = manifest.contributes.configuration.properties;

for (const [field, key] of Object.entries(KEYS)) {
  test(`settings: ${SECTION}.${key} is declared in package.json with the default config.ts uses`, () => {
    const entry = declared[`${SECTION}.${key}`];
    assert.ok(entry, `package.json does not declare ${SECTION}.${key}`);
    assert.deepEqual(entry.default, DEFAULTS[field as keyof typeof DEFAULTS]);
  });
}

test('settings: every labtel.* setting in package.json is read by config.ts', () => {
  const read = new Set(Object.values(KEYS).map((k) => `${SECTION}.${k}`));
  assert.deepEqual(Object.keys(declared).filter((k) => !read.has(k)), []);
});
