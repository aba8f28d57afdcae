#!/usr/bin/env bash
# Set up and run the tests: ./test.sh [pytest arguments]
#
# Needs Python 3.11+ and nothing else: no Pulumi CLI, no AWS credentials. The program runs
# under Pulumi's mocks and the policy pack is driven through the engine's Analyzer protocol.
set -euo pipefail
cd "$(dirname "$0")"

[ -x venv/bin/python ] || python3 -m venv venv
venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
exec venv/bin/python -m pytest "$@"
