import assert from 'node:assert/strict';

/** Asserts that every field of `expected` equals the same field of `actual` as JSON gives it (addresses formatted). */
export function assertFields(actual: unknown, expected: Record<string, unknown>, where = ''): void {
  const json = JSON.parse(JSON.stringify(actual)) as Record<string, unknown>;
  for (const [k, v] of Object.entries(expected)) {
    assert.deepStrictEqual(json[k], v, `${where}${k}`);
  }
}
