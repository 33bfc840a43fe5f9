// Read at build time by esbuild (JSON import is bundled), so the CLI needs no package.json at run time.
import pkg from '../../package.json';

export const version: string = pkg.version;
