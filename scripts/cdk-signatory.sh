#!/usr/bin/env bash
# Builds CDK's signatory (crates.io `cdk-signatory` with its gRPC server) once per machine and
# prints the path of its binary, `signatory` (scripts/cargo-tool.sh).
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/cargo-tool.sh" "$@" cdk-signatory 0.18.3 signatory --locked --features grpc
