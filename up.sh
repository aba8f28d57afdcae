#!/usr/bin/env bash
# Deploy one stack: ./up.sh <stack> [--no-verify] [extra `pulumi up` arguments]
#
# Sets up the program's virtualenv, uses your Pulumi login (or a local file backend in
# .pulumi-state/ when you have none), selects or creates the stack, and runs `pulumi up` with
# this project's policy pack, with the stack's policy config when there is one. Then, unless
# --no-verify is given, ./verify.sh checks the account for up to 15 minutes, as delivery starts
# within minutes of a deploy.
set -euo pipefail
cd "$(dirname "$0")"

stack="${1:?usage: ./up.sh <stack> [--no-verify] [pulumi up arguments], e.g. ./up.sh dev}"
shift
verify=true
up_args=()
for arg in "$@"; do
  if [ "$arg" = "--no-verify" ]; then verify=false; else up_args+=("$arg"); fi
done

command -v pulumi >/dev/null || {
  echo "up.sh: the Pulumi CLI is not installed; see https://www.pulumi.com/docs/install/" >&2
  exit 1
}
[ -f "Pulumi.${stack}.yaml" ] || {
  echo "up.sh: there is no Pulumi.${stack}.yaml; see the README's 'Adding a stack'" >&2
  exit 1
}

if [ -z "${PULUMI_BACKEND_URL:-}" ] && ! pulumi whoami >/dev/null 2>&1; then
  # No login: keep state in a local folder, so no Pulumi Cloud account is needed. Secrets
  # are then encrypted with a passphrase, which Pulumi asks for unless it is in the environment.
  mkdir -p .pulumi-state
  export PULUMI_BACKEND_URL="file://$PWD/.pulumi-state"
  echo "up.sh: not logged in to Pulumi; using the local backend in .pulumi-state/" >&2
fi

pulumi install
# The pack runs in a virtualenv of its own (policy/PulumiPolicy.yaml), set up as CI sets it up.
[ -x policy/venv/bin/python ] || python3 -m venv policy/venv
policy/venv/bin/python -m pip install --quiet --disable-pip-version-check -r policy/requirements.txt
pulumi stack select --create "$stack"

# The pack always runs; a stack without policy/config/<stack>.json gets the pack's defaults
# (every policy at its default level), as `python -m offline.check <stack>` does.
policy_args=(--policy-pack policy)
if [ -f "policy/config/${stack}.json" ]; then
  policy_args+=(--policy-pack-config "policy/config/${stack}.json")
else
  echo "up.sh: no policy/config/${stack}.json; the policy pack runs with its defaults" >&2
fi
pulumi up --stack "$stack" "${policy_args[@]}" "${up_args[@]}"

if [ "$verify" = true ]; then
  ./verify.sh "$stack" --wait 15
fi
