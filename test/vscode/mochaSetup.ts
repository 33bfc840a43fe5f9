import Mocha from 'mocha';

/**
 * The suite's mocha instance. Creating it installs the TDD globals (suite, test, setup...) that the
 * suite files call when they are evaluated, so index.ts imports this module before any suite.
 */
// LABTEL_HOST_SUITE_GREP runs only the tests whose full title matches (a developer's shortcut; CI runs all).
const grep = process.env.LABTEL_HOST_SUITE_GREP;
export const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec', ...(grep ? { grep } : {}) });
mocha.suite.emit('pre-require', globalThis, 'labtel-extension-host-suite', mocha);
