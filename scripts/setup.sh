#!/usr/bin/env bash
# Everything labtel's tests and demo need on a fresh Debian machine, as root: Debian's packages,
# the npm dependencies (npm ci), the build, and the code-server cache for the VS Code tests.
# Idempotent: a second run installs nothing new.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # the lab: namespaces, routing, sFlow export, traffic
  iproute2 iputils-ping traceroute procps psmisc frr pmacct iperf3
  # packet tools: capture, the tshark oracle, libpcap for the `cap` addon
  tcpdump tshark libpcap-dev
  # metrics
  prometheus
  # lab hosts: the tests run their own sshd in a namespace as the remote host
  openssh-server openssh-client
  # benchmark peers built offline from Debian's Go packages
  golang-go golang-github-google-gopacket-dev golang-golang-x-net-dev golang-golang-x-sys-dev golang-github-osrg-gobgp-dev
  # real VS Code in a browser: code-server's native modules and Chromium
  chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev ripgrep
  # native addons
  python3 make g++
)

if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/setup.sh must run as root (it installs Debian packages and the lab needs namespaces)" >&2
  exit 1
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; the answer does not matter as root.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
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

# npm ci only when the lockfile changed since the last install (it rebuilds `cap` each time).
stamp=node_modules/.labtel-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci
  echo "$want" > "$stamp"
fi
npm run --silent build

if [ -x scripts/install-code-server.sh ]; then
  bash scripts/install-code-server.sh
fi
echo "setup: done"
