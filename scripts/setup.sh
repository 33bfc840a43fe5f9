#!/usr/bin/env bash
# What labtel needs on a fresh Debian machine, as root, by purpose:
#   scripts/setup.sh demo    the lab and the agents: Debian's lab packages, npm ci, the build (`npm run demo`)
#   scripts/setup.sh test    demo's, plus what the tests need: the packet tools and oracles (tcpdump, tshark,
#                            Prometheus, gobgp's sources), Chromium and code-server (`npm test`)
#   scripts/setup.sh bench   demo's, plus the benchmark peers: Go, gopacket, gobgp, tshark (`npm run bench`)
#   scripts/setup.sh all     everything (the default)
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-all}
DEMO_PACKAGES=(
  # the lab: namespaces, routing, sFlow export, traffic
  iproute2 iputils-ping procps psmisc frr pmacct iperf3
)
# The `cap` addon (the capture agent's live capture, used by tests, not by the demo) is built from source
# against libpcap: the demo installs the npm packages without install scripts, everything else builds it.
ADDON_BUILD=(libpcap-dev python3 make g++)
PACKET_TOOLS=(tcpdump tshark)
GO_PEERS=(golang-go golang-golang-x-net-dev golang-golang-x-sys-dev golang-github-osrg-gobgp-dev)
TEST_PACKAGES=(
  "${DEMO_PACKAGES[@]}" "${ADDON_BUILD[@]}" "${PACKET_TOOLS[@]}" traceroute
  # a real Prometheus scraping the agents (the lab starts it; never the system service)
  prometheus
  # the BGP codec's interop oracle builds gobgp from Debian's sources
  "${GO_PEERS[@]}"
  # lab hosts: the tests run their own sshd in a namespace as the remote host
  openssh-server openssh-client
  # real VS Code in a browser: code-server's native modules and Chromium
  chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep
)
BENCH_PACKAGES=("${DEMO_PACKAGES[@]}" "${ADDON_BUILD[@]}" "${PACKET_TOOLS[@]}" "${GO_PEERS[@]}" golang-github-google-gopacket-dev)
case "$purpose" in
  demo) APT_PACKAGES=("${DEMO_PACKAGES[@]}") ;;
  test) APT_PACKAGES=("${TEST_PACKAGES[@]}") ;;
  bench) APT_PACKAGES=("${BENCH_PACKAGES[@]}") ;;
  all) APT_PACKAGES=("${TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}") ;;
  --list-demo) printf '%s\n' "${DEMO_PACKAGES[@]}"; exit 0 ;;
  *) echo "usage: scripts/setup.sh [demo|test|bench|all]" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/setup.sh must run as root (it installs Debian packages and the lab needs namespaces)" >&2
  exit 1
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup ($purpose): installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; the answer does not matter as root.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  # Another apt (unattended-upgrades, a second setup) may hold dpkg's lock: wait for it rather than fail.
  apt_wait=(-o DPkg::Lock::Timeout=300)
  apt-get "${apt_wait[@]}" update -q
  apt-get "${apt_wait[@]}" install -y -q --no-install-recommends "${missing[@]}"
fi

# FRR and prometheus are started per lab or per test, never as system services.
for svc in frr prometheus; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then systemctl stop "$svc" || true; fi
done
# Debian's frr service would run another FRR in the root namespace (bgpd on port 179 there); labtel runs FRR
# only inside lab namespaces, so the service stays disabled, and stopped also where frrinit.sh started it
# without systemd (apt's postinst does that on install).
if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet frr 2>/dev/null; then systemctl disable frr >/dev/null 2>&1 || true; fi
if [ -f /var/run/frr/watchfrr.pid ] && kill -0 "$(cat /var/run/frr/watchfrr.pid)" 2>/dev/null; then /usr/lib/frr/frrinit.sh stop || true; fi

# npm ci only when the lockfile changed since the last install (it rebuilds `cap` each time). The demo
# installs the runtime packages only, without install scripts (its agents never load `cap`, so no compiler),
# and esbuild alone, at the lockfile's version, into .cache/build-tools for the build: a fresh machine's npm
# then fetches 30 packages, not 520. The stamp holds the lockfile's hash, with " demo" after it for that
# install; a later test or bench setup runs the full npm ci.
stamp=node_modules/.labtel-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$purpose" = demo ]; then
  if [ "$have" != "$want" ] && [ "$have" != "$want demo" ]; then
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund
    esbuild_version=$(node -p "require('./package-lock.json').packages['node_modules/esbuild'].version")
    npm install --prefix .cache/build-tools --no-save --no-package-lock --no-audit --no-fund "esbuild@$esbuild_version"
    echo "$want demo" > "$stamp"
  fi
elif [ "$have" != "$want" ]; then
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
npm run --silent build

# code-server only for the tests (the extension-host and e2e layers).
if [ "$purpose" = test ] || [ "$purpose" = all ]; then
  bash scripts/install-code-server.sh
fi
echo "setup ($purpose): done"
