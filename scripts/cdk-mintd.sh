#!/usr/bin/env bash
# Builds cdk-mintd 0.18.3 (CDK's mint, crates.io) once per machine into .tools/cdk-mintd-<version>,
# release build with the FakeWallet and both databases, and prints the binary's path
# (scripts/cargo-tool.sh). Only `pnpm bench:efficiency` uses it, beside this mint; it is not part of
# CI. About 15 minutes on 2 cores. `--if-built` prints the path only when it is already there.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/cargo-tool.sh" "$@" cdk-mintd 0.18.3 \
  --no-default-features --features fakewallet,sqlite,postgres
