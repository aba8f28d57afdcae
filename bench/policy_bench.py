"""Benchmark: AnalyzeStack with many VPCs and flow logs, this pack against a pack that does nothing.

Run it from the repository root::

    python bench/policy_bench.py [--sizes 1000 10000] [--repeat 3] [--preview]

Each stack has N VPCs, N flow logs (one per VPC, linked by property dependencies as the engine
sends them) and the one log group, role and role policy they share, as the VpcFlowLogs component
makes for ``allVpcs``. Both packs are started as the CLI starts them and sent the same requests
through the Analyzer protocol; the figure is the median wall time of ``--repeat`` AnalyzeStack
calls after one warm-up call.

pulumi_policy deserialises the whole stack once for every enabled stack policy before calling it,
so that cost is the floor. Three comparisons are printed:

* ``required-only``: this pack with only ``vpc-flow-logs-required`` enabled, against a no-op pack
  with one stack policy (the issue's target: at most 1.2x at 10,000 VPCs);
* ``full pack``: every stack policy enabled, against a no-op pack with as many stack policies;
* ``full vs 1 no-op``: every stack policy enabled, against a one-policy no-op pack, which mostly
  measures how many stack policies the pack has.

Growth is t(largest) / t(smallest) for each pack; the target is that this pack's growth is within
20% of the no-op pack's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pulumi.runtime.proto import analyzer_pb2 as pb  # noqa: E402

from offline.analyzer import (  # noqa: E402
    UNKNOWN,
    PolicyPackProcess,
    Resource,
    analyzer_resource,
    engine_urn,
)

POLICY_DIR = ROOT / "policy"
NOOP_DIR = Path(__file__).resolve().parent / "noop_pack"
# The pack's own list, so a policy added to the pack is benchmarked (and disabled for the
# required-only comparison) without editing this file.
if str(POLICY_DIR) not in sys.path:
    sys.path.insert(0, str(POLICY_DIR))
from flowlog_policies import POLICIES  # noqa: E402
from pulumi_policy import StackValidationPolicy  # noqa: E402

STACK_POLICIES = ["vpc-flow-logs-required"] + [
    p.name
    for p in POLICIES
    if isinstance(p, StackValidationPolicy) and p.name != "vpc-flow-logs-required"
]
"""The pack's stack policies, ``vpc-flow-logs-required`` first."""
ACCOUNT = "123456789012"
COMPONENT = "vpc-flow-logs:index:VpcFlowLogs"


def stack_request(vpcs: int, *, preview: bool) -> pb.AnalyzeStackRequest:
    """Return an AnalyzeStack request for ``vpcs`` VPCs, each with its flow log."""

    def known(value: str) -> str:
        return UNKNOWN if preview else value

    group_arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/vpc/flowlogs"
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/flow-logs-role"
    component = engine_urn(COMPONENT, "flow-logs")
    group = engine_urn(
        "aws:cloudwatch/logGroup:LogGroup", "flow-logs-log-group", parent_type=COMPONENT
    )
    role = engine_urn("aws:iam/role:Role", "flow-logs-role", parent_type=COMPONENT)
    role_policy = engine_urn(
        "aws:iam/rolePolicy:RolePolicy", "flow-logs-role-policy", parent_type=COMPONENT
    )
    trust = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":'
        '"vpc-flow-logs.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":'
        f'{{"aws:SourceAccount":"{ACCOUNT}"}}}}}}]}}'
    )
    permissions = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream",'
        f'"logs:PutLogEvents","logs:DescribeLogStreams"],"Resource":["{group_arn}","{group_arn}:*"]}},'
        '{"Effect":"Allow","Action":"logs:DescribeLogGroups","Resource":"*"}]}'
    )
    resources = [
        Resource(COMPONENT, "flow-logs", component),
        Resource(
            "aws:cloudwatch/logGroup:LogGroup",
            "flow-logs-log-group",
            group,
            {
                "name": "/aws/vpc/flowlogs",
                "arn": known(group_arn),
                "retentionInDays": 365,
                "kmsKeyId": "arn:aws:kms:us-east-1:1:key/k",
            },
            parent=component,
        ),
        Resource(
            "aws:iam/role:Role",
            "flow-logs-role",
            role,
            {"name": "flow-logs-role", "arn": known(role_arn), "assumeRolePolicy": trust},
            parent=component,
        ),
        Resource(
            "aws:iam/rolePolicy:RolePolicy",
            "flow-logs-role-policy",
            role_policy,
            {"role": "flow-logs-role", "policy": known(permissions)},
            parent=component,
            dependencies=[role, group],
            property_dependencies={"role": [role], "policy": [group]},
        ),
    ]
    for index in range(vpcs):
        vpc_id = f"vpc-{index:017x}"
        vpc = engine_urn("aws:ec2/vpc:Vpc", f"vpc-{index}")
        resources.append(
            Resource(
                "aws:ec2/vpc:Vpc",
                f"vpc-{index}",
                vpc,
                {"id": known(vpc_id), "cidrBlock": "10.0.0.0/16", "tags": {"Name": f"vpc-{index}"}},
            )
        )
        resources.append(
            Resource(
                "aws:ec2/flowLog:FlowLog",
                f"flow-logs-{index}",
                engine_urn("aws:ec2/flowLog:FlowLog", f"flow-logs-{index}", parent_type=COMPONENT),
                {
                    "vpcId": known(vpc_id),
                    "trafficType": "ALL",
                    "maxAggregationInterval": 60,
                    "logDestination": known(group_arn),
                    "logDestinationType": "cloud-watch-logs",
                    "iamRoleArn": known(role_arn),
                    "tags": {"Name": f"flow-logs-{index}"},
                },
                parent=component,
                dependencies=[vpc, group, role, role_policy],
                property_dependencies={
                    "vpcId": [vpc],
                    "logDestination": [group],
                    "iamRoleArn": [role],
                },
            )
        )
    return pb.AnalyzeStackRequest(resources=[analyzer_resource(r) for r in resources])


@contextmanager
def started(
    pack_dir: Path, config: Mapping[str, Any] | None, noop_policies: int = 1
) -> Iterator[PolicyPackProcess]:
    """Start a pack with the engine's opening calls."""
    os.environ["NOOP_STACK_POLICIES"] = str(noop_policies)
    with PolicyPackProcess(pack_dir, dry_run=False) as pack:
        pack.start_session(config)
        yield pack


def timed(
    pack: PolicyPackProcess, request: pb.AnalyzeStackRequest, repeat: int
) -> tuple[float, int]:
    """Median seconds of ``repeat`` AnalyzeStack calls, and the mandatory diagnostics of the last.

    The benchmark stack is compliant, so any mandatory diagnostic is a bug; advisories are
    expected in a preview (the delivery policy embeds the log group's unknown ARN).
    """
    pack.analyze_stack_raw(request)
    times = []
    diagnostics = 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = pack.analyze_stack_raw(request)
        times.append(time.perf_counter() - start)
        diagnostics = sum(d.enforcementLevel == pb.MANDATORY for d in response.diagnostics)
    return statistics.median(times), diagnostics


def main() -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--preview", action="store_true", help="send unknown ids, as a preview does"
    )
    args = parser.parse_args()

    only_required: dict[str, Any] = {name: "disabled" for name in STACK_POLICIES[1:]}
    comparisons: list[
        tuple[
            str,
            tuple[Path, Mapping[str, Any] | None, int],
            tuple[Path, Mapping[str, Any] | None, int],
        ]
    ] = [
        ("required-only", (POLICY_DIR, only_required, 1), (NOOP_DIR, None, 1)),
        ("full pack", (POLICY_DIR, None, 1), (NOOP_DIR, None, len(STACK_POLICIES))),
        ("full vs 1 no-op", (POLICY_DIR, None, 1), (NOOP_DIR, None, 1)),
    ]
    requests = {n: stack_request(n, preview=args.preview) for n in args.sizes}
    print(f"AnalyzeStack, {'preview' if args.preview else 'update'}, median of {args.repeat}")
    row = "{:<16} {:>6} {:>10} {:>8} {:>8} {:>6} {:>10}"
    print(row.format("comparison", "VPCs", "request MB", "pack s", "no-op s", "ratio", "mandatory"))
    failed = False
    for label, ours_spec, noop_spec in comparisons:
        results: dict[int, tuple[float, float]] = {}
        with started(*ours_spec) as ours, started(*noop_spec) as noop:
            for n, request in requests.items():
                t_ours, diagnostics = timed(ours, request, args.repeat)
                t_noop, _ = timed(noop, request, args.repeat)
                results[n] = (t_ours, t_noop)
                size = request.ByteSize() / 1e6
                ratio = t_ours / t_noop
                print(
                    row.format(
                        label,
                        n,
                        f"{size:.1f}",
                        f"{t_ours:.3f}",
                        f"{t_noop:.3f}",
                        f"{ratio:.2f}",
                        diagnostics,
                    )
                )
                if diagnostics:
                    failed = True
        small, large = min(results), max(results)
        growth_ours = results[large][0] / results[small][0]
        growth_noop = results[large][1] / results[small][1]
        print(
            f"{label:<16} growth {small}->{large}: pack {growth_ours:.2f}x, "
            f"no-op {growth_noop:.2f}x, relative {growth_ours / growth_noop:.2f}"
        )
    if failed:
        print("the compliant benchmark stack was blocked", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
