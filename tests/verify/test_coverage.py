"""``coverage``: every VPC an ``allVpcs`` or ``vpcName`` stack selects has an ACTIVE VPC-level
flow log. End to end against moto's server; the 1,000-VPC call count and states moto cannot
make (a flow log that is not ACTIVE) through botocore's Stubber."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.stub import Stubber

from tests.support.verify_accounts import (
    cloudwatch_account,
    cloudwatch_flow_log,
    create_vpc,
    dev_account,
    every_vpc,
    fresh_log_group,
    stack_project,
)
from verify.__main__ import main
from verify.aws import Aws
from verify.coverage import check_coverage
from verify.expected import DEFAULT_LOG_FORMAT, Expected
from verify.results import Check, Severity


@pytest.fixture
def every_vpc_stack(tmp_path: Path) -> Path:
    """A project whose stack ``all`` is dev's, but logs every VPC (``allVpcs``)."""
    return stack_project(tmp_path / "project", "all", "dev", vpcName=None, allVpcs=True)


def run(
    capsys: pytest.CaptureFixture[str], project: Path, stack: str, outputs: Path, **kw: Any
) -> tuple[int, list[dict[str, Any]]]:
    """The exit code and the coverage rows of one run."""
    code = main([stack, "--outputs", str(outputs), "--json"], project_dir=project, **kw)
    out, err = capsys.readouterr()
    assert err == ""
    return code, [row for row in json.loads(out)["checks"] if row["check"] == "coverage"]


def test_an_all_vpcs_stack_with_a_vpc_made_afterwards_fails_naming_it(
    session: boto3.Session,
    every_vpc_stack: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    create_vpc("app")
    outputs = cloudwatch_account(every_vpc()).write(tmp_path)
    late = create_vpc("made-later", cidr="10.9.0.0/16")

    code, rows = run(capsys, every_vpc_stack, "all", outputs, session=session)

    assert code == 1
    assert rows == [
        {
            "check": "coverage",
            "region": "us-east-1",
            "resource": f"{late} ('made-later')",
            "ok": False,
            "severity": "error",
            "detail": "no flow log: its traffic is not recorded. It was probably made after the "
            "last deploy: `./up.sh all` adopts it; with repairDrift on, drift repair would "
            "repair VPCs like it without a deploy.",
        }
    ]


def test_a_flow_log_another_tool_made_covers_it_with_a_warning_naming_that_flow_log(
    session: boto3.Session,
    every_vpc_stack: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    create_vpc("app")
    outputs = cloudwatch_account(every_vpc()).write(tmp_path)
    late = create_vpc("made-later", cidr="10.9.0.0/16")
    fresh_log_group("/other/tool")
    theirs = cloudwatch_flow_log(late, "/other/tool")

    code, rows = run(capsys, every_vpc_stack, "all", outputs, session=session)

    assert code == 0
    assert [(r["resource"], r["ok"], r["severity"], r["detail"]) for r in rows] == [
        (
            "allVpcs",
            True,
            "error",
            "all 3 VPCs have an ACTIVE VPC-level flow log; 1 only one that is not the stack's "
            "(see the warnings)",
        ),
        (
            f"{late} ('made-later')",
            False,
            "warning",
            f"logged only by {theirs} (to /other/tool), which is not the stack's (drift repair, "
            "the organisation's rule or another tool made it), so it is not logged the way the "
            "stack says; `./up.sh all` adopts it.",
        ),
    ]


def test_a_vpc_name_stack_covers_only_the_vpcs_its_name_matches(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = dev_account().write(tmp_path)
    create_vpc("someone-elses", cidr="10.7.0.0/16")
    project = stack_project(tmp_path / "project", "dev", "dev")

    code, rows = run(capsys, project, "dev", outputs, session=session)

    assert code == 0
    assert [(r["resource"], r["ok"]) for r in rows] == [("vpcName ASG-VPC", True)]

    twin = create_vpc("ASG-VPC", cidr="10.8.0.0/16")
    code, rows = run(capsys, project, "dev", outputs, session=session)

    assert code == 1
    assert [(r["resource"], r["ok"]) for r in rows] == [(f"{twin} ('ASG-VPC')", False)]


EXPECTED = Expected(
    home_region="us-east-1",
    traffic_type="ALL",
    aggregation_interval=60,
    log_format=DEFAULT_LOG_FORMAT,
    log_group_name="/aws/vpc/flowlogs",
    retention_in_days=365,
    to_cloudwatch=True,
    to_s3=False,
    stack="prod",
    all_vpcs=True,
)


def stubbed_ec2(*answers: tuple[str, dict[str, Any], dict[str, Any]]) -> tuple[Aws, Stubber]:
    """An Aws whose EC2 answers ``answers`` in turn, and its Stubber."""
    ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="x",
                       aws_secret_access_key="x")  # fmt: skip
    stubber = Stubber(ec2)
    for operation, response, params in answers:
        stubber.add_response(operation, response, params)
    stubber.activate()

    def only_ec2(service: str, _: BaseClient) -> BaseClient:
        assert service == "ec2"
        return ec2

    return Aws(boto3.Session(region_name="us-east-1"), on_client=only_ec2), stubber


def vpcs_page(
    ids: list[str], token: str | None = None
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A DescribeVpcs page of ``ids``, asked for after ``token``."""
    params: dict[str, Any] = {"Filters": [], "MaxResults": 1000}
    if token:
        params["NextToken"] = token
    answer: dict[str, Any] = {"Vpcs": [{"VpcId": i} for i in ids]}
    if len(ids) == 600:
        answer["NextToken"] = "page-2"
    return ("describe_vpcs", answer, params)


def flow_logs_call(
    ids: list[str], flow_logs: list[dict[str, Any]]
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """One DescribeFlowLogs call for ``ids``, answering ``flow_logs``."""
    params = {"Filters": [{"Name": "resource-id", "Values": ids}], "MaxResults": 1000}
    return ("describe_flow_logs", {"FlowLogs": flow_logs}, params)


def flow_log(vpc: str, status: str = "ACTIVE", flow_log_id: str | None = None) -> dict[str, Any]:
    return {"FlowLogId": flow_log_id or f"fl-{vpc}", "ResourceId": vpc, "FlowLogStatus": status}


def test_a_thousand_vpcs_take_two_pages_of_vpcs_and_five_calls_for_their_flow_logs() -> None:
    vpcs = [f"vpc-{n:04}" for n in range(1000)]
    chunks = [vpcs[start : start + 200] for start in range(0, 1000, 200)]
    aws, stubber = stubbed_ec2(
        vpcs_page(vpcs[:600]),
        vpcs_page(vpcs[600:], "page-2"),
        *(flow_logs_call(chunk, [flow_log(v) for v in chunk]) for chunk in chunks),
    )

    rows = check_coverage(aws, "us-east-1", EXPECTED, {f"fl-{v}" for v in vpcs})

    # Seven calls in all, each answered once: a call per VPC would leave answers unused, or ask
    # for one the Stubber does not have.
    stubber.assert_no_pending_responses()
    assert rows == [
        Check(
            "coverage", "us-east-1", "allVpcs", True,
            "all 1000 VPCs have an ACTIVE VPC-level flow log",
        )
    ]  # fmt: skip


def test_a_vpc_whose_only_flow_log_is_not_active_fails_and_repair_drift_changes_the_advice() -> (
    None
):
    aws, _ = stubbed_ec2(
        vpcs_page(["vpc-1"]),
        flow_logs_call(["vpc-1"], [flow_log("vpc-1", "DELETING", "fl-1")]),
    )

    (row,) = check_coverage(aws, "us-east-1", replace(EXPECTED, repair_drift=True), {"fl-1"})

    assert (row.resource, row.ok, row.severity) == ("vpc-1 (no Name tag)", False, Severity.ERROR)
    assert row.detail == (
        "its only flow logs are not ACTIVE (fl-1 is DELETING): its traffic is not recorded. It "
        "was probably made after the last deploy: `./up.sh prod` adopts it; drift repair "
        "(repairDrift) should repair it within minutes; if it stays, look at the drift-repair "
        "row."
    )


def test_a_region_without_a_selected_vpc_has_nothing_to_cover() -> None:
    aws, _ = stubbed_ec2(vpcs_page([]))

    rows = check_coverage(aws, "us-east-1", EXPECTED, set())

    assert [(r.ok, r.detail) for r in rows] == [
        (True, "no VPC matches it here now, so there is nothing to cover")
    ]
