"""Check 7: every VPC the stack selects in a region has an ACTIVE VPC-level flow log (EC2
``DescribeVpcs``, ``DescribeFlowLogs``).

For a stack that selects by ``allVpcs``, every VPC of the region; by ``vpcName``, every VPC that
name matches. The VPCs are listed now, not taken from the outputs, so a VPC made after the last
deploy is seen. A flow log that drift repair, the organisation's rule or another tool made
counts as coverage, but a VPC that only such a flow log covers is a warning: it is not logged
the way the stack says. Calls are paged and batched, not made per VPC: a region with 1,000 VPCs
takes one ``DescribeVpcs`` page and five ``DescribeFlowLogs`` calls.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from verify.aws import Aws
from verify.expected import Expected
from verify.results import Check, Severity

CHECK = "coverage"
PAGE_SIZE = 1000
"""Results per page: the most DescribeVpcs and DescribeFlowLogs return."""
FILTER_VALUES = 200
"""VPC ids per DescribeFlowLogs call: EC2 refuses more than 200 filter values in one call
(``FilterLimitExceeded``)."""


def selection(expected: Expected) -> str | None:
    """How the stack selects VPCs by listing them, for rows and progress; None when it names
    them (``vpcIds``, the default VPC), and coverage is the ``flow-log`` rows' business."""
    if expected.all_vpcs:
        return "allVpcs"
    if expected.vpc_name is not None:
        return f"vpcName {expected.vpc_name}"
    return None


def check_coverage(
    aws: Aws, region: str, expected: Expected, stack_flow_logs: Collection[str]
) -> list[Check]:
    """A failed row for each selected VPC without an ACTIVE VPC-level flow log, a warning for
    each whose only ones are not the stack's (``stack_flow_logs``), and one passing row when
    none fails."""
    ec2 = aws.client("ec2", region)
    vpcs = list_vpcs(ec2, expected.vpc_name)
    flow_logs = vpc_flow_logs(ec2, [vpc["VpcId"] for vpc in vpcs])
    rows = []
    by_others = 0
    for vpc in vpcs:
        vpc_id = vpc["VpcId"]
        logs = flow_logs.get(vpc_id, [])
        active = [f for f in logs if f.get("FlowLogStatus") == "ACTIVE"]
        if not active:
            rows.append(_uncovered(region, vpc, logs, expected))
        elif not any(f["FlowLogId"] in stack_flow_logs for f in active):
            by_others += 1
            rows.append(_covered_by_others(region, vpc, active, expected))
    if any(row.fails for row in rows):
        return rows
    what = selection(expected) or "the stack's VPCs"
    if not vpcs:
        found = "no VPC matches it here now, so there is nothing to cover"
    else:
        found = (
            "the 1 VPC has an ACTIVE VPC-level flow log"
            if len(vpcs) == 1
            else f"all {len(vpcs)} VPCs have an ACTIVE VPC-level flow log"
        )
        if by_others:
            found += f"; {by_others} only one that is not the stack's (see the warnings)"
    return [Check(CHECK, region, what, True, found), *rows]


def list_vpcs(ec2: Any, vpc_name: str | None) -> list[Mapping[str, Any]]:
    """The region's VPCs, or those whose Name tag is ``vpc_name``, in pages."""
    filters = [{"Name": "tag:Name", "Values": [vpc_name]}] if vpc_name is not None else []
    pages = ec2.get_paginator("describe_vpcs").paginate(
        Filters=filters, PaginationConfig={"PageSize": PAGE_SIZE}
    )
    return [vpc for page in pages for vpc in page["Vpcs"]]


def vpc_flow_logs(ec2: Any, vpc_ids: Sequence[str]) -> Mapping[str, list[Mapping[str, Any]]]:
    """By VPC id, the flow logs whose resource is that VPC (not its subnets or interfaces):
    ``FILTER_VALUES`` VPCs per call, in pages."""
    found: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    paginator = ec2.get_paginator("describe_flow_logs")
    for start in range(0, len(vpc_ids), FILTER_VALUES):
        chunk = list(vpc_ids[start : start + FILTER_VALUES])
        for page in paginator.paginate(
            Filters=[{"Name": "resource-id", "Values": chunk}],
            PaginationConfig={"PageSize": PAGE_SIZE},
        ):
            for flow_log in page["FlowLogs"]:
                found[flow_log["ResourceId"]].append(flow_log)
    return found


def _label(vpc: Mapping[str, Any]) -> str:
    name = next((t["Value"] for t in vpc.get("Tags", []) if t.get("Key") == "Name"), None)
    return f"{vpc['VpcId']} ({name!r})" if name is not None else f"{vpc['VpcId']} (no Name tag)"


def _uncovered(
    region: str, vpc: Mapping[str, Any], flow_logs: Iterable[Mapping[str, Any]], expected: Expected
) -> Check:
    inactive = ", ".join(f"{f['FlowLogId']} is {f.get('FlowLogStatus')}" for f in flow_logs)
    found = f"its only flow logs are not ACTIVE ({inactive})" if inactive else "no flow log"
    stack = expected.stack or "<stack>"
    repair = (
        "drift repair (repairDrift) should repair it within minutes; if it stays, look at the "
        "drift-repair row"
        if expected.repair_drift
        else "with repairDrift on, drift repair would repair VPCs like it without a deploy"
    )
    return Check(
        CHECK,
        region,
        _label(vpc),
        False,
        f"{found}: its traffic is not recorded. It was probably made after the last deploy: "
        f"`./up.sh {stack}` adopts it; {repair}.",
    )


def _covered_by_others(
    region: str, vpc: Mapping[str, Any], flow_logs: Sequence[Mapping[str, Any]], expected: Expected
) -> Check:
    others = ", ".join(
        f"{f['FlowLogId']} (to {f.get('LogGroupName') or f.get('LogDestination')})"
        for f in flow_logs
    )
    return Check(
        CHECK,
        region,
        _label(vpc),
        False,
        f"logged only by {others}, which is not the stack's (drift repair, the organisation's "
        "rule or another tool made it), so it is not logged the way the stack says; "
        f"`./up.sh {expected.stack or '<stack>'}` adopts it.",
        Severity.WARNING,
    )
