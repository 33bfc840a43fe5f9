#!/usr/bin/env bash
# code-server 4.100.3 (VS Code 1.100.3), the last code-server line whose engines say Node 20, installed
# offline-friendly into .cache/code-server/ (gitignored) for the extension-host and e2e tests.
#
# VS Code desktop cannot be downloaded on these machines and code-server's own postinstall fetches
# prebuilt binaries from the internet, so every install runs with --ignore-scripts (which also
# sidesteps npm 11's allowScripts) and the native modules are built here against the system Node's
# headers (nodedir=/usr). Debian's ripgrep stands in for @vscode/ripgrep's download.
#
# Idempotent: a stamp file records a finished install; a second run does nothing.
#   LABTEL_CODE_SERVER_DIR  overrides the cache folder (default <repo>/.cache/code-server)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.100.3
CACHE=${LABTEL_CODE_SERVER_DIR:-$PWD/.cache/code-server}
STAMP=$CACHE/.installed-$VERSION
started=$(date +%s)

if [ -f "$STAMP" ]; then
  echo "code-server $VERSION: already installed in $CACHE ($(($(date +%s) - started)) s)"
  exit 0
fi

for tool in node npm rg make g++ python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-code-server: $tool is missing (run scripts/setup.sh as root)" >&2; exit 1; }
done

# npm's own node-gyp, against the system Node's headers so nothing is downloaded.
NODE_GYP=$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js
[ -f "$NODE_GYP" ] || NODE_GYP=$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js
[ -f "$NODE_GYP" ] || { echo "install-code-server: npm's bundled node-gyp not found" >&2; exit 1; }
NODEDIR=${npm_config_nodedir:-/usr}
[ -f "$NODEDIR/include/node/node_api.h" ] || { echo "install-code-server: Node headers not found in $NODEDIR/include/node" >&2; exit 1; }
export npm_config_nodedir=$NODEDIR

step() { echo "install-code-server: [$(($(date +%s) - started)) s] $*"; }

mkdir -p "$CACHE"
cd "$CACHE"
[ -f package.json ] || echo '{ "name": "labtel-code-server-cache", "private": true }' > package.json

step "npm install code-server@$VERSION"
npm install --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$VERSION"

CS=$CACHE/node_modules/code-server
VS=$CS/lib/vscode

step "npm install in lib/vscode (runtime dependencies)"
(cd "$VS" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

step "ripgrep from Debian"
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"

built=()
skipped=()
for mod in node-pty @parcel/watcher kerberos native-watchdog @vscode/spdlog @vscode/deviceid @vscode/windows-registry; do
  dir=$VS/node_modules/$mod
  if [ ! -f "$dir/binding.gyp" ]; then
    skipped+=("$mod (absent)")
    continue
  fi
  step "node-gyp rebuild $mod"
  if (cd "$dir" && node "$NODE_GYP" rebuild --nodedir="$NODEDIR" --loglevel=error >"$CACHE/node-gyp-${mod//\//_}.log" 2>&1); then
    built+=("$mod")
  elif [ "$mod" = "@vscode/windows-registry" ]; then
    # Windows-only: it has nothing to build on Linux and VS Code never loads it here.
    skipped+=("$mod (windows-only, does not build on linux)")
  else
    echo "install-code-server: building $mod failed; log: $CACHE/node-gyp-${mod//\//_}.log" >&2
    tail -n 30 "$CACHE/node-gyp-${mod//\//_}.log" >&2
    exit 1
  fi
done

step "links: node_modules.asar, remote-cli, browser helper"
ln -sfn node_modules "$VS/node_modules.asar"
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"

step "npm install in lib/vscode/extensions (built-in extensions' dependencies)"
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)

step "npm rebuild argon2"
npm rebuild argon2 --foreground-scripts --loglevel=error

echo "built: ${built[*]}"
[ ${#skipped[@]} -eq 0 ] || echo "skipped: ${skipped[*]}"
date -u +%FT%TZ > "$STAMP"
step "code-server $VERSION installed in $CACHE"
