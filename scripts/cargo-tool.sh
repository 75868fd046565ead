#!/usr/bin/env bash
# `cargo-tool.sh [--if-built] CRATE VERSION [cargo install flags...]`: builds a Rust tool from
# crates.io once per machine into .tools/CRATE-VERSION and prints its binary's path (the binary is
# named like the crate). `--if-built` only prints the path when it is already there, and fails
# otherwise. Needs Rust (cargo) and protoc (Debian's protobuf-compiler, installed when missing and
# running as root): CDK's crates compile protobufs.
set -euo pipefail

if_built=false
[[ "${1:-}" == "--if-built" ]] && { if_built=true; shift; }
crate="$1" version="$2"
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.tools/$crate-$version"

if [[ -x "$dir/bin/$crate" ]]; then
  echo "$dir/bin/$crate"
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
echo "$crate: building $crate $version (minutes the first time)" >&2
cargo install --quiet --locked "$crate" --version "=$version" --root "$dir.tmp" "$@" >&2
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir/bin/$crate"
