"""The Firehose rows of ``./verify.sh``: the siem stack's Firehose flow log is checked as the
others are, and its stream, in the stack's own account, must be ACTIVE and tagged
``LogDeliveryEnabled=true``. Against moto's server; where moto differs from AWS is in
tests/support/firehose_accounts.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.support.firehose_accounts import SIEM_STREAM, STREAM_NAME, siem_account, siem_stream
from tests.support.verify_accounts import HOME
from tests.verify.stubs import Account
from verify.__main__ import main
from verify.aws import Aws
from verify.expected import DEFAULT_LOG_FORMAT, Expected
from verify.firehose import check_firehose, streams_to_check
from verify.flow_logs import Destinations, flow_log_problems
from verify.outputs import FlowLogRef

UNTAGGED = (
    "it has no LogDeliveryEnabled tag: AWS's log-delivery role writes only to streams tagged "
    "LogDeliveryEnabled=true, so delivery stops. Tag the stream again (aws firehose "
    "tag-delivery-stream), and keep the tag in the code that manages the stream"
)


def run(
    capsys: pytest.CaptureFixture[str], session: boto3.Session, outputs: Path
) -> tuple[int, dict[str, Any]]:
    code = main(["siem", "--outputs", str(outputs), "--json"], session=session)
    return code, json.loads(capsys.readouterr().out)


def rows(report: dict[str, Any], check: str) -> list[tuple[str, bool, str]]:
    return [
        (row["resource"], row["ok"], row["detail"])
        for row in report["checks"]
        if row["check"] == check
    ]


def test_a_healthy_siem_account_passes_with_a_firehose_row(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = siem_account()
    code, report = run(capsys, session, deployment.write(tmp_path))
    firehose_log = deployment.outputs["firehoseFlowLogIds"][0]

    assert code == 0, [c for c in report["checks"] if not c["ok"]]
    assert rows(report, "firehose") == [
        (siem_stream(), True, "ACTIVE, tagged LogDeliveryEnabled=true")
    ]
    flow_logs = {r[0].split()[0]: r for r in rows(report, "flow-log")}
    assert flow_logs[firehose_log][1] is True
    assert flow_logs[firehose_log][2].endswith(f"to {siem_stream()}")
    assert len(flow_logs) == 2


def test_a_stream_without_the_log_delivery_tag_fails_the_run(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run(capsys, session, siem_account(tagged=False).write(tmp_path))

    assert code == 1
    assert rows(report, "firehose") == [(siem_stream(), False, UNTAGGED)]


@pytest.mark.parametrize("operation", ["DescribeDeliveryStream", "ListTagsForDeliveryStream"])
def test_a_failing_firehose_call_is_an_unknown_row_and_every_other_row_is_there(
    session: boto3.Session,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pauses: list[float],
    operation: str,
) -> None:
    outputs = siem_account().write(tmp_path)
    healthy = main(["siem", "--outputs", str(outputs), "--json"], session=session)
    every_row = [(r["check"], r["resource"]) for r in json.loads(capsys.readouterr().out)["checks"]]
    hook = Account(fail=operation)

    code = main(
        ["siem", "--outputs", str(outputs), "--json"], session=session, on_client=hook.hook()
    )
    report = json.loads(capsys.readouterr().out)

    assert (healthy, code) == (0, 2)
    assert [(r["check"], r["resource"]) for r in report["checks"]] == every_row
    (failed,) = [r for r in report["checks"] if not r["ok"]]
    assert (failed["check"], failed["severity"]) == ("firehose", "unknown")
    assert failed["detail"].startswith(f"could not tell: AWS answered {operation} with HTTP 500")


def test_a_missing_stream_fails_its_row(endpoint: str, session: boto3.Session) -> None:
    siem_account()
    boto3.client("firehose", region_name=HOME).delete_delivery_stream(
        DeliveryStreamName=STREAM_NAME
    )

    (row,) = check_firehose(Aws(session), HOME, siem_stream())

    assert (row.check, row.ok) == ("firehose", False)
    assert row.detail.startswith("does not exist:")


def test_a_stream_not_yet_active_fails_its_row() -> None:
    # moto's streams are ACTIVE from the start, so this state is stubbed.
    firehose = boto3.client("firehose", region_name=HOME)
    stubber = Stubber(firehose)
    stubber.add_response(
        "describe_delivery_stream",
        {
            "DeliveryStreamDescription": {
                "DeliveryStreamName": STREAM_NAME,
                "DeliveryStreamARN": SIEM_STREAM,
                "DeliveryStreamStatus": "CREATING",
                "DeliveryStreamType": "DirectPut",
                "VersionId": "1",
                "Destinations": [],
                "HasMoreDestinations": False,
            }
        },
        {"DeliveryStreamName": STREAM_NAME},
    )
    stubber.add_response(
        "list_tags_for_delivery_stream",
        {"Tags": [{"Key": "LogDeliveryEnabled", "Value": "true"}], "HasMoreTags": False},
        {"DeliveryStreamName": STREAM_NAME},
    )
    stubber.activate()
    aws = Aws(on_client=lambda _service, _client: firehose)

    (row,) = check_firehose(aws, HOME, SIEM_STREAM)

    assert (row.ok, row.detail) == (False, "status is CREATING, not ACTIVE")
    stubber.assert_no_pending_responses()


def test_only_streams_in_the_stacks_own_account_are_read() -> None:
    account = SIEM_STREAM.split(":")[4]
    other = SIEM_STREAM.replace(account, "222222222222")

    assert streams_to_check({HOME: SIEM_STREAM, "us-west-2": other}, account) == [
        (HOME, SIEM_STREAM)
    ]


EXPECTED = Expected(
    home_region=HOME,
    traffic_type="ALL",
    aggregation_interval=60,
    log_format=DEFAULT_LOG_FORMAT,
    log_group_name="/aws/vpc/flowlogs",
    retention_in_days=365,
    to_cloudwatch=True,
    to_s3=False,
)
FIREHOSE_LOG: dict[str, Any] = {
    "FlowLogId": "fl-1",
    "ResourceId": "vpc-1",
    "FlowLogStatus": "ACTIVE",
    "DeliverLogsStatus": "SUCCESS",
    "TrafficType": "ALL",
    "MaxAggregationInterval": 60,
    "LogFormat": DEFAULT_LOG_FORMAT,
    "LogDestinationType": "kinesis-data-firehose",
    "LogDestination": SIEM_STREAM,
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, None),
        (
            {"LogDestination": SIEM_STREAM.replace("siem", "other")},
            f"it delivers to stream {SIEM_STREAM.replace('siem', 'other')!r}, but the stack says "
            f"{SIEM_STREAM!r}",
        ),
        (
            {"LogDestinationType": "cloud-watch-logs"},
            "it delivers to cloud-watch-logs, but the stack says kinesis-data-firehose",
        ),
        (
            {"DeliverLogsStatus": "FAILED", "DeliverLogsErrorMessage": "Access error"},
            "delivery FAILED: AWS says 'Access error'; in the stream's own account, the stream "
            "must carry the tag LogDeliveryEnabled=true (see the firehose row); across accounts, "
            "the source role and the destination role must trust each other as docs/firehose.md "
            "describes",
        ),
    ],
)
def test_a_firehose_flow_log_is_held_to_its_stream(
    change: dict[str, str], message: str | None
) -> None:
    ref = FlowLogRef("fl-1", ("firehoseFlowLogIds",), to_firehose=True)
    destinations = Destinations({HOME: ["/aws/vpc/flowlogs"]}, None, {HOME: SIEM_STREAM})

    found = flow_log_problems({**FIREHOSE_LOG, **change}, ref, EXPECTED, destinations, HOME)

    assert found == ([message] if message else [])
