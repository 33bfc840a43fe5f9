import * as assert from 'node:assert/strict';
import { labtelExtension } from './documents';

suite('activation', () => {
  test('the labtel extension is present and activates', async () => {
    const ext = await labtelExtension();
    assert.equal(ext.isActive, true);
  });

  test('activate() returns the API with the package version and its commands', async () => {
    const ext = await labtelExtension();
    const version = (ext.packageJSON as { version: string }).version;
    assert.match(version, /^\d+\.\d+\.\d+/);
    assert.equal(ext.exports.version, version);
    assert.ok(ext.exports.commands.includes('labtel.showVersion'), `commands: ${ext.exports.commands.join(', ')}`);
  });
});
