"""The verifier's policy in deploy/: read-only, exactly the calls ./verify.sh makes (operations
whose IAM action is not ``<service>:<operation>``, such as S3's ListObjectsV2, are mapped by
``stubs.Account``), scoped where IAM allows, and what parliament says of it."""

from __future__ import annotations

import contextlib
import functools
import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import parliament
import pytest

from tests.support.iam_lint import parliament_findings as lint
from tests.support.program import PROJECT_DIR
from tests.support.verify_accounts import PROD_REGIONS, dev_account, prod_account, stack_project
from tests.verify.conftest import fake_aws_environment, fresh_account
from tests.verify.stubs import Account
from verify.__main__ import main

POLICY = PROJECT_DIR / "deploy" / "verifier-policy.json"

NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity"}
"""AWS answers GetCallerIdentity whatever the policy says."""


@functools.cache
def _iam_definitions() -> list[dict[str, Any]]:
    definitions: list[dict[str, Any]] = json.loads(
        (Path(parliament.__file__).parent / "iam_definition.json").read_text()
    )
    return definitions


def _resource_types(action: str) -> list[str]:
    """The resource types IAM lets ``action`` be scoped to, from parliament's IAM definitions."""
    service, name = action.split(":")
    (privilege,) = (
        p
        for s in _iam_definitions()
        if s["prefix"] == service
        for p in s["privileges"]
        if p["privilege"] == name
    )
    return [r["resource_type"] for r in privilege["resource_types"] if r["resource_type"]]


def statements() -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in json.loads(POLICY.read_text())["Statement"]}


def policy_actions() -> set[str]:
    actions: set[str] = set()
    for statement in statements().values():
        action = statement["Action"]
        actions |= {action} if isinstance(action, str) else set(action)
    return actions


@pytest.fixture(scope="module")
def healthy_prod_run(
    moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, dict[str, Any], set[str]]]:
    """One full run over a healthy prod account with ``organizationWide`` (so that every check
    runs), for the module: its exit code, its report, and the IAM action of every call it made,
    recorded by an event hook on each client (``stubs.Account``). A stale group is searched for
    a recent record (FilterLogEvents) before it is called stale, which a healthy run never
    needs, so a run over stale records, in an account of its own, is recorded too."""
    hook = Account()
    directory = tmp_path_factory.mktemp("verifier-policy")
    project = stack_project(directory / "project", "org", "prod", organizationWide=True)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in fake_aws_environment(moto_endpoint).items():
            patch.setenv(name, value)
        patch.delenv("AWS_PROFILE", raising=False)
        session = boto3.Session()
        patch.setenv("MOTO_ACCOUNT_ID", fresh_account())
        prod = prod_account(organization=True).write(directory / "prod")
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = main(
                ["org", "--outputs", str(prod), "--json"],
                project_dir=project,
                session=session,
                on_client=hook.hook(),
            )
        patch.setenv("MOTO_ACCOUNT_ID", fresh_account())
        stale = dev_account(records_age=timedelta(hours=3)).write(directory / "stale")
        with contextlib.redirect_stdout(io.StringIO()):
            main(["dev", "--outputs", str(stale), "--json"], session=session, on_client=hook.hook())
        yield code, json.loads(out.getvalue()), hook.called


def test_a_healthy_prod_account_passes_every_check_in_both_regions(
    healthy_prod_run: tuple[int, dict[str, Any], set[str]],
) -> None:
    code, report, _ = healthy_prod_run

    assert code == 0, [c for c in report["checks"] if not c["ok"]]
    checks = [(c["check"], c["region"]) for c in report["checks"]]
    # Each region's two VPCs (moto's default one and the stack's), to CloudWatch and to S3.
    assert checks.count(("flow-log", "us-east-1")) == checks.count(("flow-log", "us-west-2")) == 4
    assert checks.count(("telemetry-rule", "us-east-1")) == 1
    for region in PROD_REGIONS:
        for check in ("coverage", "log-group", "cloudwatch-records", "s3-records", "alarm-topic"):
            assert checks.count((check, region)) == 1, (check, region)
        assert checks.count(("alarm", region)) == 2
        assert checks.count(("drift-repair", region)) == 1
    assert len(checks) == 8 + 1 + 2 * 8


def test_the_policy_names_exactly_the_actions_a_full_run_calls(
    healthy_prod_run: tuple[int, dict[str, Any], set[str]],
) -> None:
    _, _, called = healthy_prod_run

    assert called - NEEDS_NO_PERMISSION == policy_actions()


def test_the_policy_only_reads() -> None:
    assert all(
        action.split(":")[1].startswith(("Describe", "Get", "List", "Filter"))
        for action in policy_actions()
    )


def test_statements_on_every_resource_hold_only_actions_iam_cannot_scope() -> None:
    for sid, statement in statements().items():
        if statement["Resource"] == "*":
            for action in (
                [statement["Action"]]
                if isinstance(statement["Action"], str)
                else (statement["Action"])
            ):
                assert _resource_types(action) == [], (sid, action)


def test_parliament_finds_nothing_but_the_tag_scoped_config_rule_and_the_telemetry_rule() -> None:
    document = json.loads(POLICY.read_text())
    findings = lint(document)

    # Parliament 1.6's database predates observability admin (as in the deployer policy's test).
    unknown = [f for f in findings if f.issue == "UNKNOWN_ACTION"]
    assert [f.detail for f in unknown] == [
        "Unknown action observabilityadmin:GetTelemetryRuleForOrganization"
    ]
    # The telemetry rule is scoped by the name the stack gives it.
    assert statements()["ReadTheOrganizationTelemetryRule"]["Resource"] == (
        "arn:*:observabilityadmin:*:*:organization-telemetry-rule/vpc-flow-logs*"
    )
    # Config rules are named by an id AWS generates, so the rule is scoped by the tag the stack
    # gives it (as in the deployer policy), which parliament still counts as every rule. It
    # reports where the statement starts in the document as it was given, on one line.
    (finding,) = [f for f in findings if f.issue != "UNKNOWN_ACTION"]
    assert finding.issue == "RESOURCE_EFFECTIVELY_STAR"
    start = json.dumps(document).index('{"Sid": "ReadTheDriftRepairRulesCompliance"')
    assert finding.location["column"] == start + 1
    assert statements()["ReadTheDriftRepairRulesCompliance"]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/managed-by": "vpc-flow-logs"}
    }
