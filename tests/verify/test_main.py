"""``python -m verify`` end to end against moto's server: exit codes, rows and messages."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support.program import PROJECT_DIR
from tests.support.verify_accounts import client, dev_account
from tests.verify.conftest import fake_aws_environment, free_port
from verify.__main__ import main


def run(
    capsys: pytest.CaptureFixture[str], *args: str, session: boto3.Session | None = None
) -> tuple[int, dict[str, Any], str]:
    """The exit code, the JSON report and stderr of one in-process run."""
    code = main([*args, "--json"], session=session, sleep=lambda _: None)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def rows(report: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [row for row in report["checks"] if row["check"] == check]


def test_a_healthy_dev_account_passes_every_check(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = dev_account()
    code, report, err = run(
        capsys, "dev", "--outputs", str(deployment.write(tmp_path)), session=session
    )

    assert (code, err) == (0, "")
    assert report["ok"] is True
    assert [(r["check"], r["region"], r["resource"], r["ok"]) for r in report["checks"]] == [
        ("flow-log", "us-east-1", f"{deployment.outputs['flowLogIds'][0]} "
         f"({deployment.outputs['vpcIds'][0]})", True),
        ("coverage", "us-east-1", "vpcName ASG-VPC", True),
        ("log-group", "us-east-1", "/aws/vpc/flowlogs", True),
        ("cloudwatch-records", "us-east-1", "/aws/vpc/flowlogs", True),
    ]  # fmt: skip
    assert rows(report, "cloudwatch-records")[0]["detail"] == "newest record 2 min old (at most 15)"
    assert rows(report, "coverage")[0]["detail"] == "the 1 VPC has an ACTIVE VPC-level flow log"


def test_the_json_report_has_exactly_the_documented_shape(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = run(
        capsys, "dev", "--outputs", str(dev_account().write(tmp_path)), session=session
    )

    assert code == 0
    assert set(report) == {"ok", "checks"}
    for row in report["checks"]:
        assert set(row) == {"check", "region", "resource", "ok", "severity", "detail"}
        assert isinstance(row["ok"], bool)
        assert row["severity"] in ("error", "warning", "unknown")
        assert all(isinstance(row[k], str) for k in ("check", "region", "resource", "detail"))


def test_the_table_is_printed_without_json(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["dev", "--outputs", str(dev_account().write(tmp_path))], session=session)
    out = capsys.readouterr().out

    assert code == 0
    assert "Flow logs of stack dev" in out
    assert "log-group" in out
    assert out.rstrip().endswith("Working: 4 passed, 0 failed, 0 warnings.")


def test_failed_delivery_quotes_aws_and_names_the_usual_cause(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = dev_account(failed_delivery=True)
    code, report, _ = run(
        capsys, "dev", "--outputs", str(deployment.write(tmp_path)), session=session
    )

    assert code == 1
    assert report["ok"] is False
    (row,) = rows(report, "flow-log")
    assert row["ok"] is False
    assert row["detail"].startswith("delivery FAILED: AWS says 'Access error'; this usually means")
    assert "the delivery role" in row["detail"]
    assert "KMS key policy" in row["detail"]


def test_a_flow_log_deleted_outside_the_stack_fails(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = dev_account()
    client("ec2").delete_flow_logs(FlowLogIds=deployment.outputs["flowLogIds"])
    code, report, _ = run(
        capsys, "dev", "--outputs", str(deployment.write(tmp_path)), session=session
    )

    assert code == 1
    (row,) = rows(report, "flow-log")
    assert (row["region"], row["ok"], row["severity"]) == ("us-east-1", False, "error")
    assert row["detail"].startswith("does not exist in us-east-1: it was deleted outside")


def test_a_retention_changed_outside_the_stack_fails_with_both_values(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = dev_account()
    client("logs").put_retention_policy(logGroupName="/aws/vpc/flowlogs", retentionInDays=30)
    code, report, _ = run(
        capsys, "dev", "--outputs", str(deployment.write(tmp_path)), session=session
    )

    assert code == 1
    (row,) = rows(report, "log-group")
    assert row["detail"].startswith("retention is 30 days, but the stack says 14 days")


def test_records_three_hours_old_are_stale_against_fresh_15(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = dev_account(records_age=timedelta(hours=3))
    args = ("dev", "--outputs", str(deployment.write(tmp_path)), "--fresh", "15")
    code, report, _ = run(capsys, *args, session=session)

    assert code == 1
    (row,) = rows(report, "cloudwatch-records")
    assert row["detail"].startswith(
        "/aws/vpc/flowlogs newest record is 180 min old (at most 15 min wanted)"
    )
    # The same records pass a looser limit.
    assert run(capsys, *args[:-1], "240", session=session)[0] == 0


def test_a_group_without_records_says_so(
    session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployment = dev_account(records_age=None)
    code, report, _ = run(
        capsys, "dev", "--outputs", str(deployment.write(tmp_path)), session=session
    )

    assert code == 1
    assert rows(report, "cloudwatch-records")[0]["detail"].startswith(
        "/aws/vpc/flowlogs has no records at all"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", ": is not JSON (Expecting value: line 1 column 1 (char 0))."),
        ('{"regions": {"us-east-1": {"vpcIds": []}}, "vpcIds": []}', ": names no flow log"),
        ('{"flowLogIds": ["fl-1"]}', ": has no 'regions' output"),
    ],
)
def test_unusable_outputs_exit_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "outputs.json"
    path.write_text(text)
    code, report, err = run(capsys, "dev", "--outputs", str(path))

    assert (code, report) == (2, {})
    assert err.startswith(f"verify: {path}{message}")
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_stack_exits_2_naming_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "staging", "--outputs", str(tmp_path / "x.json"))

    assert code == 2
    assert err.startswith("verify: Pulumi.staging.yaml: no stack file Pulumi.staging.yaml")


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["dev", "--fresh", "soon"])
    assert exit.value.code == 2
    assert "--fresh" in capsys.readouterr().err


def test_missing_credentials_exit_2_with_one_line(
    endpoint: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outputs = dev_account().write(tmp_path)
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code, report, err = run(capsys, "dev", "--outputs", str(outputs))

    assert (code, report) == (2, {})
    assert err.startswith("verify: no usable AWS credentials (Unable to locate credentials)")
    assert len(err.strip().splitlines()) == 1


def test_an_endpoint_where_nothing_listens_ends_fast_with_exit_2(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"flowLogIds": ["fl-1"], "regions": {"us-east-1": {}}}))
    environment = {**os.environ, **fake_aws_environment(f"http://127.0.0.1:{free_port()}")}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "verify", "dev", "--outputs", str(outputs), "--json"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    elapsed = time.monotonic() - started

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("verify: cannot reach AWS: Could not connect to the endpoint URL")
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert elapsed < 30, elapsed


class _NotAws(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = b"<html>a captive portal</html"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_an_endpoint_that_does_not_answer_as_aws_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotAws)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"flowLogIds": ["fl-1"], "regions": {"us-east-1": {}}}))
    for name, value in fake_aws_environment(f"http://127.0.0.1:{server.server_port}").items():
        monkeypatch.setenv(name, value)
    try:
        code, report, err = run(capsys, "dev", "--outputs", str(outputs))
    finally:
        server.shutdown()

    assert (code, report) == (2, {})
    assert err.startswith("verify: the endpoint did not answer as AWS does (Unable to parse")
    assert len(err.strip().splitlines()) == 1
