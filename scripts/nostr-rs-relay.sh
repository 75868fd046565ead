#!/usr/bin/env bash
# Builds nostr-rs-relay 0.8.12 (crates.io) once per machine and prints the path of its binary: the
# real relay of the stamp relay (apps/stamp-relay). Not --locked: its lock file pins a `time` that
# today's Rust no longer compiles (scripts/cargo-tool.sh).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/cargo-tool.sh" "$@" nostr-rs-relay 0.8.12 nostr-rs-relay
