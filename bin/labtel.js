#!/usr/bin/env node
// The published entry of the labtel CLI; the bundle is built by `npm run build`.
const { main } = require('../dist/cli.js');
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
