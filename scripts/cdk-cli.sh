#!/usr/bin/env bash
# Builds CDK's wallet CLI (crates.io `cdk-cli`) once per machine into .tools/cdk-cli-<version> and
# prints the path of the binary (scripts/cargo-tool.sh). An unoptimised build without the npubcash
# feature: about 2 minutes on 2 cores instead of 12 for a release build, and a CLI runs fast enough
# either way.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/cargo-tool.sh" "$@" cdk-cli 0.18.3 --debug --no-default-features
