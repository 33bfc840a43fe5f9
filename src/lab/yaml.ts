import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/**
 * The yaml library, loaded the first time a file is parsed rather than when the extension starts: it
 * is most of the extension's bundle (~260 KB of ~440 KB), and activation should not pay for it
 * (`npm run bench -- ui` reports activation time).
 */
export function yaml(): typeof Yaml {
  // A require() at the call, not an import: esbuild then evaluates the bundled module on first use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('yaml') as typeof Yaml;
  return loaded;
}

export function isMap(node: unknown): node is Yaml.YAMLMap {
  return yaml().isMap(node);
}

export function isSeq(node: unknown): node is Yaml.YAMLSeq {
  return yaml().isSeq(node);
}

export function isScalar(node: unknown): node is Yaml.Scalar {
  return yaml().isScalar(node);
}
