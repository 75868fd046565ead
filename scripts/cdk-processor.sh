#!/usr/bin/env bash
# Builds CDK's payment processor (crates.io `cdk-payment-processor`) once per machine and prints
# the binary's path (scripts/cargo-tool.sh). 0.18.3 does not compile with `lnd` alone (its binary
# imports a `cln`-gated type), so the build carries the fake, LND and CLN backends.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/cargo-tool.sh" "$@" cdk-payment-processor 0.18.3 cdk-payment-processor \
  --locked --no-default-features --features fake,lnd,cln
