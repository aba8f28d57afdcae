"""docs/outputs.md lists exactly what the stacks export: the committed stacks, and stacks that
turn on what they leave off (transit gateways, S3 only, the organisation rule, Firehose), run
under mocks."""

from __future__ import annotations

from typing import Any

import pytest

from offline.mocks import ProgramRun
from tests.support.markdown import tables
from tests.support.program import PROJECT_DIR, run_stack, run_stack_file

PAGE = PROJECT_DIR / "docs" / "outputs.md"
TGW = "tgw-0123456789abcdef0"
OTHER_ACCOUNT_STREAM = "arn:aws:firehose:us-east-1:222222222222:deliverystream/siem"
OTHER_ACCOUNT_ROLE = "arn:aws:iam::222222222222:role/AWSLogDeliveryFirehoseCrossAccountRole-x"


@pytest.fixture(scope="module")
def runs() -> dict[str, ProgramRun]:
    return {
        "dev": run_stack_file("dev"),
        "prod": run_stack_file("prod"),
        "security": run_stack_file("security"),
        "transit gateways, both": run_stack(
            {
                "transitGatewayIds": [TGW],
                "destination": "both",
                "alarms": True,
                "alarmEmails": ["soc@example.com"],
            }
        ),
        "s3 only": run_stack({"destination": "s3", "repairDrift": True}),
        "organisation": run_stack({"organizationWide": True}),
        "firehose, both sides": run_stack(
            {
                "firehoseArns": {"us-east-1": OTHER_ACCOUNT_STREAM},
                "firehoseCrossAccountRoleArn": OTHER_ACCOUNT_ROLE,
                "firehoseSourceAccounts": ["333333333333"],
            }
        ),
        "archive": run_stack_file("archive"),
        "member": run_stack_file("member"),
    }


def _documented(heading: str) -> set[str]:
    table = next(t for t in tables(PAGE) if t.heading == heading)
    assert table.header[0] == "output"
    return {row[0].strip("`") for row in table.rows}


def _exported(runs: dict[str, ProgramRun]) -> set[str]:
    return {key for run in runs.values() for key in run.stack_outputs}


def _regional(runs: dict[str, ProgramRun]) -> set[str]:
    regions: list[dict[str, Any]] = [
        outputs for run in runs.values() for outputs in run.stack_outputs["regions"].values()
    ]
    return {key for outputs in regions for key in outputs}


def test_the_runs_export_what_they_were_meant_to(runs: dict[str, ProgramRun]) -> None:
    assert "transitGatewayLogGroupName" in runs["transit gateways, both"].stack_outputs
    assert "s3TransitGatewayPrefix" in runs["transit gateways, both"].stack_outputs
    assert "organizationRuleArn" in runs["organisation"].stack_outputs
    assert "centralizationRuleArn" in runs["security"].stack_outputs
    assert set(runs["prod"].stack_outputs["regions"]) == {"us-east-1", "us-west-2"}


def test_every_stack_output_is_documented_and_nothing_else(runs: dict[str, ProgramRun]) -> None:
    assert _documented("Stack outputs") == _exported(runs)


def test_every_regions_output_is_documented_and_nothing_else(runs: dict[str, ProgramRun]) -> None:
    assert _documented("Each region's outputs") == _regional(runs)


def test_the_six_outputs_s3_alone_drops_are_named() -> None:
    # Encrypted, so that the key's ARN is exported at all: a null output is not.
    cloudwatch = run_stack({"encryptLogs": True})
    s3_only = run_stack({"encryptLogs": True, "destination": "s3"})
    dropped = set(cloudwatch.stack_outputs) - set(s3_only.stack_outputs)
    text = PAGE.read_text()
    paragraph = text[text.index("**With `destination: s3`**") :].split("\n\n")[0]

    assert dropped == {
        "flowLogIds",
        "targetFlowLogIds",
        "logGroupName",
        "logGroupArn",
        "roleArn",
        "kmsKeyArn",
    }
    assert all(f"`{key}`" in paragraph for key in dropped)
