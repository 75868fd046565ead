#!/usr/bin/env bash
# Builds btcd and lnd for the regtest suite from the Go module proxy, once per machine: the
# binaries are kept in .tools/regtest/<version> and reused while the versions below stay the same.
# lnd carries replace directives, so it is built inside a writable copy of its module.
set -euo pipefail

LND_VERSION=v0.20.1-beta
BTCD_VERSION=v0.25.0
LND_TAGS="invoicesrpc routerrpc signrpc walletrpc chainrpc"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/regtest/lnd-$LND_VERSION-btcd-$BTCD_VERSION"

if [[ -x "$bin/lnd" && -x "$bin/btcd" ]]; then
  echo "$bin"
  exit 0
fi

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "regtest-binaries: Go is required to build lnd and btcd" >&2; exit 1; }
mkdir -p "$bin"
work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

module_dir() {
  GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

echo "regtest-binaries: building btcd $BTCD_VERSION" >&2
btcd_src="$(module_dir "github.com/btcsuite/btcd@$BTCD_VERSION")"
cp -r "$btcd_src" "$work/btcd" && chmod -R u+w "$work/btcd"
(cd "$work/btcd" && go build -trimpath -o "$bin/btcd.tmp" . && mv "$bin/btcd.tmp" "$bin/btcd")

echo "regtest-binaries: building lnd $LND_VERSION (a few minutes the first time)" >&2
lnd_src="$(module_dir "github.com/lightningnetwork/lnd@$LND_VERSION")"
cp -r "$lnd_src" "$work/lnd" && chmod -R u+w "$work/lnd"
(cd "$work/lnd" && go build -trimpath -tags="$LND_TAGS" -o "$bin/lnd.tmp" ./cmd/lnd && mv "$bin/lnd.tmp" "$bin/lnd")

echo "$bin"
