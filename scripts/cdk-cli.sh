#!/usr/bin/env bash
# Builds CDK's wallet CLI (crates.io `cdk-cli`) once per machine into .tools/cdk-cli-<version> and
# prints the path of the binary (scripts/cargo-tool.sh): a debug build without the npubcash feature,
# in the target folder the other CDK crates share.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/cargo-tool.sh" "$@" cdk-cli 0.18.3 cdk-cli --locked --no-default-features
