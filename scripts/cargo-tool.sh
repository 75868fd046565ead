#!/usr/bin/env bash
# `cargo-tool.sh [--if-built] [--release] CRATE VERSION BIN [cargo install flags...]`: builds a
# Rust tool from crates.io once per machine into .tools/CRATE-VERSION (-release) and prints the path
# of its binary BIN. Every build shares one target folder, .tools/cargo-target, so what CDK's crates
# have in common (cdk, tonic, tokio, sqlx...) compiles once. Debug builds without debug info unless
# --release: they compile in a fraction of the time, and the tests only start them. `--if-built`
# only prints the path when it is already there, and fails otherwise. Needs Rust (cargo) and protoc
# (Debian's protobuf-compiler, installed when missing and running as root): CDK's crates compile
# protobufs.
set -euo pipefail

if_built=false release=false
while [[ "${1:-}" == --* ]]; do
  case "$1" in
    --if-built) if_built=true ;;
    --release) release=true ;;
    *) break ;;
  esac
  shift
done
crate="$1" version="$2" bin="$3"
shift 3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/$crate-$version$($release && echo -release || true)"

if [[ -x "$dir/bin/$bin" ]]; then
  echo "$dir/bin/$bin"
  exit 0
fi
$if_built && exit 1

export PATH="$PATH:$HOME/.cargo/bin"
command -v cargo >/dev/null || { echo "$crate: Rust (cargo) is required" >&2; exit 1; }
if ! command -v protoc >/dev/null; then
  [[ "$(id -u)" == 0 ]] || { echo "$crate: protoc is required (apt-get install protobuf-compiler)" >&2; exit 1; }
  echo "$crate: installing protoc (Debian's protobuf-compiler)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends protobuf-compiler >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends protobuf-compiler >&2; }
fi
export CARGO_TARGET_DIR="$root/.tools/cargo-target"
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_INCREMENTAL=0
profile=--debug
$release && profile=
echo "$crate: building $crate $version (minutes the first time)" >&2
cargo install --quiet "$crate" --version "=$version" --root "$dir.tmp" $profile "$@" >&2
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir/bin/$bin"
