"""One failing call costs one row: every check, driven through an injected failure against
moto's server, becomes a row of severity ``unknown`` naming the AWS error, every other row is
still there, and the exit code is 2 (1 if a check fails). Failures of moto-served calls are
answered at the client's HTTP send, so botocore retries and parses them as real ones; Config
and the telemetry rule, which moto cannot answer, fail through the Stubber (``stubs``)."""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.endpoint
import pytest

from tests.support.verify_accounts import PROD_REGIONS, dev_account, prod_account, stack_project
from tests.verify.conftest import fake_aws_environment, fresh_account
from tests.verify.stubs import Account
from verify.__main__ import main


class Org:
    """The prod stack with ``organizationWide``, deployed once for the module: every check runs
    over it."""

    def __init__(self, project: Path, outputs: Path, account: str):
        self.project, self.outputs, self.account = project, outputs, account


@pytest.fixture(scope="module")
def org(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    directory = tmp_path_factory.mktemp("failures")
    account = fresh_account()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in fake_aws_environment(moto_endpoint).items():
            patch.setenv(name, value)
        patch.setenv("MOTO_ACCOUNT_ID", account)
        project = stack_project(directory / "project", "org", "prod", organizationWide=True)
        stack_project(directory / "project", "prod", "prod")
        outputs = prod_account(organization=True).write(directory)
    yield Org(project, outputs, account)


@pytest.fixture
def in_org(org: Org, endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Org:
    """The module's org account, for this test; botocore's retries do not pause (``pauses``
    still shows that they ran)."""
    monkeypatch.setenv("MOTO_ACCOUNT_ID", org.account)
    return org


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses botocore takes before its retries, recorded instead of slept."""
    taken: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=taken.append))
    return taken


def run(
    capsys: pytest.CaptureFixture[str],
    project: Path,
    stack: str,
    outputs: Path,
    hook: Account,
    session: boto3.Session,
) -> tuple[int, list[dict[str, Any]]]:
    """The exit code and the rows of one run; nothing on stderr."""
    code = main(
        [stack, "--outputs", str(outputs), "--json"],
        project_dir=project,
        session=session,
        on_client=hook.hook(),
    )
    out, err = capsys.readouterr()
    assert err == ""
    report = json.loads(out)
    assert report["ok"] is (code == 0)
    return code, report["checks"]


def count(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many rows of each check."""
    found: dict[str, int] = {}
    for row in rows:
        found[row["check"]] = found.get(row["check"], 0) + 1
    return found


EVERY_ROW = {
    "flow-log": 8,
    "telemetry-rule": 1,
    "coverage": 2,
    "log-group": 2,
    "cloudwatch-records": 2,
    "s3-records": 2,
    "alarm": 4,
    "alarm-topic": 2,
    "drift-repair": 2,
}
"""The rows of a healthy run of the org stack: two VPCs in each of two regions, each with a flow
log to CloudWatch and one to S3."""


def test_the_org_stack_passes_every_check_without_an_injected_failure(
    in_org: Org, session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = run(capsys, in_org.project, "org", in_org.outputs, Account(), session)

    assert code == 0, [r for r in rows if not r["ok"]]
    assert count(rows) == EVERY_ROW


FIVE_HUNDRED = (
    "(500: Internal Server Error) on all 3 attempts, an error on AWS's side; run again later."
)
STUBBED = "(InternalFailure: injected) on all 3 attempts, an error on AWS's side; run again later."


@pytest.mark.parametrize(
    ("operation", "unknown", "attempts", "said"),
    [
        # The flow-log probe stops at its first region's failure; coverage asks in each region.
        ("DescribeFlowLogs", {"flow-log": 1, "coverage": 2}, 9, FIVE_HUNDRED),
        ("DescribeVpcs", {"coverage": 2}, 6, FIVE_HUNDRED),
        ("DescribeLogGroups", {"log-group": 2}, 6, FIVE_HUNDRED),
        ("DescribeLogStreams", {"cloudwatch-records": 2}, 6, FIVE_HUNDRED),
        ("ListObjectsV2", {"s3-records": 2}, 6, FIVE_HUNDRED),
        ("DescribeAlarms", {"alarm": 2}, 6, FIVE_HUNDRED),
        ("ListSubscriptionsByTopic", {"alarm-topic": 2}, 6, FIVE_HUNDRED),
        ("describe_config_rules", {"drift-repair": 2}, 0, STUBBED),
        ("get_compliance_details_by_config_rule", {"drift-repair": 2}, 0, STUBBED),
        ("get_telemetry_rule_for_organization", {"telemetry-rule": 1}, 0, STUBBED),
    ],
)
def test_a_failing_call_is_one_unknown_row_per_probe_and_every_other_row_is_there(
    in_org: Org,
    session: boto3.Session,
    capsys: pytest.CaptureFixture[str],
    pauses: list[float],
    operation: str,
    unknown: dict[str, int],
    attempts: int,
    said: str,
) -> None:
    hook = Account(fail=operation)
    code, rows = run(capsys, in_org.project, "org", in_org.outputs, hook, session)

    assert code == 2
    failed = [r for r in rows if not r["ok"]]
    assert count(failed) == unknown
    name = "".join(p.title() for p in operation.split("_")) if "_" in operation else operation
    for row in failed:
        assert row["severity"] == "unknown"
        assert row["detail"] == f"could not tell: AWS answered {name} with HTTP 500 {said}"
    # Every other check is still there, and passed; a failed probe is one row in its place.
    passed = count([r for r in rows if r["ok"]])
    assert passed == {check: n for check, n in EVERY_ROW.items() if check not in unknown}
    # botocore retried each failing call twice before the row was written.
    assert (hook.attempts, len(pauses)) == (attempts, attempts * 2 // 3)


def test_config_answering_500_exits_2_with_every_other_row(
    in_org: Org, session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    hook = Account(fail="describe_config_rules")
    code, rows = run(capsys, in_org.project, "prod", in_org.outputs, hook, session)

    assert code == 2
    assert [(r["check"], r["region"], r["severity"]) for r in rows if not r["ok"]] == [
        ("drift-repair", region, "unknown") for region in PROD_REGIONS
    ]
    assert count(rows) == {k: v for k, v in EVERY_ROW.items() if k != "telemetry-rule"}


def test_a_missing_config_rule_is_an_error_row_naming_it_with_every_other_row(
    in_org: Org, session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    # moto has no such rule, and answers DescribeConfigRules with an empty list: the answer
    # that once crashed the run with "not enough values to unpack".
    hook = Account(unstubbed=("config",))
    code, rows = run(capsys, in_org.project, "prod", in_org.outputs, hook, session)

    assert code == 1
    assert [(r["check"], r["resource"], r["severity"]) for r in rows if not r["ok"]] == [
        ("drift-repair", f"vpc-flow-logs-repair-rule-{region}", "error") for region in PROD_REGIONS
    ]
    (first, _) = [r for r in rows if r["check"] == "drift-repair"]
    assert first["detail"].startswith(
        "the Config rule vpc-flow-logs-repair-rule-us-east-1 does not exist, so VPCs made "
        "outside the stack are not repaired"
    )
    assert count(rows) == {k: v for k, v in EVERY_ROW.items() if k != "telemetry-rule"}


EC2_ERROR = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
    "<Message>{message}</Message></Error></Errors><RequestID>1</RequestID></Response>"
)
NO_FLOW_LOG_ID = (
    '<?xml version="1.0" encoding="UTF-8"?><DescribeFlowLogsResponse '
    'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>1</requestId><flowLogSet>'
    "<item><flowLogStatus>ACTIVE</flowLogStatus></item>"
    "</flowLogSet></DescribeFlowLogsResponse>"
)


@pytest.mark.parametrize(
    ("status", "body", "attempts", "detail"),
    [
        (
            503,
            EC2_ERROR.format(code="RequestLimitExceeded", message="Request limit exceeded."),
            3,
            "could not tell: AWS throttled DescribeFlowLogs (RequestLimitExceeded: Request limit "
            "exceeded.) on all 3 attempts; run again later, or when fewer tools call this "
            "account.",
        ),
        (
            403,
            EC2_ERROR.format(code="UnauthorizedOperation", message="You are not authorized."),
            1,
            "could not tell: the credentials may not call DescribeFlowLogs "
            "(UnauthorizedOperation: You are not authorized.); use a role with "
            "deploy/verifier-policy.json.",
        ),
        (
            502,
            "<html>Bad Gateway</html>",
            3,
            "could not tell: AWS answered DescribeFlowLogs with HTTP 502 (502: Bad Gateway) on "
            "all 3 attempts, an error on AWS's side; run again later.",
        ),
        (
            200,
            NO_FLOW_LOG_ID,
            1,
            "could not tell: an answer from AWS was not of the expected shape "
            "(KeyError: 'FlowLogId').",
        ),
    ],
    ids=["throttled", "denied", "bad-gateway", "unexpected-shape"],
)
def test_each_kind_of_failure_is_told_in_the_row(
    unexpected_answers: list[Exception],
    session: boto3.Session,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pauses: list[float],
    status: int,
    body: str,
    attempts: int,
    detail: str,
) -> None:
    outputs = dev_account().write(tmp_path)
    project = stack_project(tmp_path / "project", "dev", "dev")
    hook = Account(fail="DescribeFlowLogs", status=status, body=body.encode())

    code, rows = run(capsys, project, "dev", outputs, hook, session)

    assert code == 2
    assert [(r["check"], r["ok"], r["severity"], r["detail"]) for r in rows] == [
        ("flow-log", False, "unknown", detail),
        # Coverage asks DescribeFlowLogs too, and misses the flow log's resource.
        ("coverage", False, "unknown", detail.replace("FlowLogId", "ResourceId")),
        ("log-group", True, "error", "retention 14 days, key none, as the stack says"),
        ("cloudwatch-records", True, "error", "newest record 2 min old (at most 15)"),
    ]
    assert hook.attempts == 2 * attempts
    assert len(unexpected_answers) == (2 if status == 200 else 0)


def test_the_table_says_it_could_not_tell(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str], pauses: list[float]
) -> None:
    outputs = dev_account().write(tmp_path)
    hook = Account(fail="DescribeLogGroups")

    code = main(["dev", "--outputs", str(outputs)], session=session, on_client=hook.hook())
    out = capsys.readouterr().out

    assert code == 2
    assert "unknown" in out
    assert out.rstrip().endswith(
        "Could not tell: 3 passed, 0 failed, 0 warnings, 1 could not tell."
    )
