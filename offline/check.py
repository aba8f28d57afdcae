"""Check a stack against the policy pack with no AWS credentials and no Pulumi CLI.

    python -m offline.check <stack> [--preview] [--policy-pack-config FILE] [--vpcs N]

Runs the stack's program under mocks, with the stack's config resolved as the CLI resolves it,
against a fake account in the stack's region. The account holds the VPCs the stack's selection
can find: the region's default VPC, one VPC named by ``vpcName`` if the stack sets it, and
``--vpcs`` more. It prints what would be created, sends the resources to the policy pack over
the engine's Analyzer protocol (Analyze for each resource's inputs, then AnalyzeStack), prints
each policy's verdict, and exits 1 on any mandatory violation, 2 when the stack or the program
is broken. Without ``--policy-pack-config``, ``policy/config/<stack>.json`` is used if present.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from offline.analyzer import (
    Diagnostic,
    PolicyConfigError,
    PolicyPackError,
    PolicyPackProcess,
    from_recorded,
    load_policy_pack_config,
)
from offline.archive_stack import with_archive
from offline.mocks import FakeAws, FakeVpc, ProgramRun, run_program
from offline.stack_config import StackConfig, StackConfigError, load_stack_config

ROOT = Path(__file__).resolve().parents[1]
MANDATORY_EXIT = 1
BROKEN_EXIT = 2


def fake_account(config: StackConfig, extra_vpcs: int) -> FakeAws:
    """An account holding, in each region the stack covers, every VPC its selection could look
    for: a default VPC, the one named by ``vpcName``, and ``extra_vpcs`` more."""
    home = config.get("aws:region") or "us-east-1"
    regions = json.loads(config.get(f"{config.project}:regions") or "[]") or [home]
    name = config.get(f"{config.project}:vpcName")
    vpcs = []
    for region in regions:
        names = ["default", *([name] if name else []), *(f"extra-{i}" for i in range(extra_vpcs))]
        vpcs += [
            FakeVpc(_vpc_id(f"{region}/{n}"), name=n, is_default=n == "default", region=region)
            for n in names
        ]
    return FakeAws(region=home, vpcs=vpcs)


def _vpc_id(seed: str) -> str:
    return "vpc-" + hashlib.sha256(seed.encode()).hexdigest()[:17]


def check(
    stack: str,
    *,
    project_dir: Path = ROOT,
    pack_dir: Path = ROOT / "policy",
    policy_config: Path | None = None,
    preview: bool = False,
    extra_vpcs: int = 2,
    out: TextIO | None = None,
) -> int:
    """Run the check and print its report (to stdout by default); return the exit status."""
    out = out or sys.stdout
    try:
        config = load_stack_config(project_dir, stack)
    except StackConfigError as error:
        print(f"error: {error}", file=out)
        return BROKEN_EXIT
    run = run_program(
        project_dir,
        config.values,
        with_archive(project_dir, config, fake_account(config, extra_vpcs)),
        project=config.project,
        stack=stack,
        preview=preview,
        raise_errors=False,
    )
    if run.error is not None:
        print(f"error: the program failed: {run.error}", file=out)
        return BROKEN_EXIT

    mode = "preview" if preview else "update"
    print(
        f"Stack {config.project}/{stack} ({mode}, under mocks): {len(run.resources)} to create",
        file=out,
    )
    for resource in run.resources:
        print(f"  + {resource.type}  {resource.name}", file=out)

    if policy_config is None:
        candidate = pack_dir / "config" / f"{stack}.json"
        policy_config = candidate if candidate.exists() else None
    try:
        diagnostics, policies = _analyze(run, config, pack_dir, policy_config, preview)
    except (PolicyConfigError, PolicyPackError, OSError) as error:
        print(f"error: {error}", file=out)
        return BROKEN_EXIT

    print(f"\nPolicies ({policy_config or 'pack defaults'}):", file=out)
    for name, level in policies:
        found = [d for d in diagnostics if d.policy_name == name]
        verdict = "disabled" if level == "disabled" else "pass" if not found else level
        print(f"  {verdict:<9} {name}", file=out)
        for diagnostic in found:
            print(f"            {diagnostic.urn}: {diagnostic.detail}", file=out)

    mandatory = [d for d in diagnostics if d.enforcement_level == "mandatory"]
    print(
        f"\n{len(mandatory)} mandatory violation(s), "
        f"{len(diagnostics) - len(mandatory)} advisory message(s).",
        file=out,
    )
    return MANDATORY_EXIT if mandatory else 0


def _analyze(
    run: ProgramRun,
    config: StackConfig,
    pack_dir: Path,
    policy_config: Path | None,
    preview: bool,
) -> tuple[list[Diagnostic], list[tuple[str, str]]]:
    """The engine's calls, in its order; returns the diagnostics and each policy's level."""
    project, stack = config.project, config.stack
    with PolicyPackProcess(
        pack_dir, project=project, stack=stack, dry_run=preview, config=config.values
    ) as pack:
        settings = pack.start_session(
            load_policy_pack_config(policy_config) if policy_config else None
        )
        diagnostics: list[Diagnostic] = []
        for resource in from_recorded(
            run.resources, project=project, stack=stack, properties="inputs"
        ):
            diagnostics += pack.analyze(resource)
        diagnostics += pack.analyze_stack(
            from_recorded(run.resources, project=project, stack=stack)
        )
    return diagnostics, [(name, s.enforcement_level) for name, s in settings.items()]


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m offline.check", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("stack", help="the stack to check: Pulumi.<stack>.yaml must exist")
    parser.add_argument(
        "--preview", action="store_true", help="as `pulumi preview`: new ids unknown"
    )
    parser.add_argument("--policy-pack-config", type=Path, help="policy config JSON, as the CLI's")
    parser.add_argument("--vpcs", type=int, default=2, help="extra VPCs in the fake account (2)")
    parser.add_argument("--project-dir", type=Path, default=ROOT, help="the program to run (.)")
    parser.add_argument("--policy-pack", type=Path, default=ROOT / "policy", help="pack (policy)")
    args = parser.parse_args(argv)
    return check(
        args.stack,
        project_dir=args.project_dir.resolve(),
        pack_dir=args.policy_pack.resolve(),
        policy_config=args.policy_pack_config,
        preview=args.preview,
        extra_vpcs=args.vpcs,
    )


if __name__ == "__main__":
    sys.exit(main())
