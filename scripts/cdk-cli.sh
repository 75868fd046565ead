#!/usr/bin/env bash
# Builds CDK's wallet CLI (crates.io `cdk-cli`) once per machine into .tools/cdk-cli-<version> and
# prints the path of the binary. Needs Rust (cargo) and protoc (Debian's protobuf-compiler, which
# this installs when missing). An unoptimised build without the npubcash feature: about 2 minutes on
# 2 cores instead of 12 for a release build, and a CLI runs fast enough either way.
set -euo pipefail

CDK_CLI_VERSION=0.18.3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/cdk-cli-$CDK_CLI_VERSION"

if [[ -x "$dir/bin/cdk-cli" ]]; then
  echo "$dir/bin/cdk-cli"
  exit 0
fi

export PATH="$PATH:$HOME/.cargo/bin"
command -v cargo >/dev/null || { echo "cdk-cli: Rust (cargo) is required" >&2; exit 1; }
if ! command -v protoc >/dev/null; then
  [[ "$(id -u)" == 0 ]] || { echo "cdk-cli: protoc is required (apt-get install protobuf-compiler)" >&2; exit 1; }
  echo "cdk-cli: installing protoc (Debian's protobuf-compiler)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends protobuf-compiler >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends protobuf-compiler >&2; }
fi
echo "cdk-cli: building cdk-cli $CDK_CLI_VERSION (a few minutes the first time)" >&2
cargo install --quiet --locked --debug --no-default-features cdk-cli --version "=$CDK_CLI_VERSION" \
  --root "$dir.tmp" >&2
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir/bin/cdk-cli"
