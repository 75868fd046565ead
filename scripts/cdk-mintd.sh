#!/usr/bin/env bash
# Builds cdk-mintd 0.18.3 (CDK's mint, crates.io) once per machine and prints the binary's path
# (scripts/cargo-tool.sh): the FakeWallet, SQLite and PostgreSQL, and the gRPC processor and
# signatory clients. The tests (imports, a remote signatory) start a debug build; `pnpm
# bench:efficiency` measures a release one (`--release`, about 15 minutes on 2 cores).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/cargo-tool.sh" "$@" cdk-mintd 0.18.3 cdk-mintd --locked \
  --no-default-features --features fakewallet,sqlite,postgres,grpc-processor
