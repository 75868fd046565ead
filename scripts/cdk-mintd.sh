#!/usr/bin/env bash
# Builds cdk-mintd 0.18.3 (CDK's mint, crates.io) once per machine into .tools/cdk-mintd-<version>,
# release build with the FakeWallet and both databases, and prints the binary's path. Only the
# efficiency benchmark uses it (`pnpm bench`, beside this mint); it is not part of CI. Needs Rust and
# protoc (Debian's protobuf-compiler); about 15 minutes on 2 cores. `--if-built` prints the path only
# when it is already there.
set -euo pipefail

CDK_MINTD_VERSION=0.18.3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/cdk-mintd-$CDK_MINTD_VERSION"

if [[ -x "$dir/bin/cdk-mintd" ]]; then
  echo "$dir/bin/cdk-mintd"
  exit 0
fi
[[ "${1:-}" == "--if-built" ]] && exit 1

export PATH="$PATH:$HOME/.cargo/bin"
command -v cargo >/dev/null || { echo "cdk-mintd: Rust (cargo) is required" >&2; exit 1; }
command -v protoc >/dev/null || { echo "cdk-mintd: protoc is required (apt-get install protobuf-compiler)" >&2; exit 1; }
echo "cdk-mintd: building cdk-mintd $CDK_MINTD_VERSION (release; about 15 minutes the first time)" >&2
cargo install --quiet --locked cdk-mintd --version "=$CDK_MINTD_VERSION" \
  --no-default-features --features fakewallet,sqlite,postgres --root "$dir.tmp" >&2
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir/bin/cdk-mintd"
