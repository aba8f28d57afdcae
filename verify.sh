#!/usr/bin/env bash
# Check a deployed stack against the real account:
#   ./verify.sh <stack> [--outputs FILE] [--fresh MINUTES] [--wait MINUTES] [--json]
#
# Is every VPC the stack selects covered, is every flow log active and delivering, are records
# arriving, and does the account still match the stack? Exit code 1 when a check fails;
# otherwise 2 when it cannot tell (a check's call failed: its row says "unknown"; or, before any
# check, bad usage, unreadable outputs or config, AWS unreachable or credentials missing);
# otherwise 0. See docs/verifying.md.
# Needs Python 3.11+ and AWS credentials; the Pulumi CLI only to read the outputs.
set -euo pipefail
cd "$(dirname "$0")"

[ -x venv/bin/python ] || python3 -m venv venv >&2
# Setup messages go to stderr, so that --json leaves nothing but JSON on stdout.
venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt >&2

if command -v pulumi >/dev/null && [ -z "${PULUMI_BACKEND_URL:-}" ] && [ -d .pulumi-state ] \
  && ! pulumi whoami >/dev/null 2>&1; then
  # The local backend up.sh falls back to when nobody is logged in.
  export PULUMI_BACKEND_URL="file://$PWD/.pulumi-state"
fi
exec venv/bin/python -m verify "$@"
