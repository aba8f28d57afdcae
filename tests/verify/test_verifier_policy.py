"""The verifier's policy in deploy/: read-only, exactly the calls ./verify.sh makes, scoped where
IAM allows, and what parliament says of it."""

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
from botocore.client import BaseClient
from botocore.stub import Stubber

from tests.support.iam_lint import parliament_findings as lint
from tests.support.program import PROJECT_DIR
from tests.support.verify_accounts import PROD_REGIONS, dev_account, prod_account
from tests.verify.conftest import fake_aws_environment
from verify.__main__ import main
from verify.aws import ClientHook

POLICY = PROJECT_DIR / "deploy" / "verifier-policy.json"

IAM_ACTION = {("s3", "ListObjectsV2"): "s3:ListBucket"}
"""Operations whose IAM action is not named ``<service>:<operation>``."""
NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity"}
CENTRALIZATION_ACTIONS = {
    "observabilityadmin:GetCentralizationRuleForOrganization",
    "logs:StartQuery",
    "logs:GetQueryResults",
    "logs:StopQuery",
}
"""What only a centralizing stack's checks call (logs:DescribeLogStreams every run calls)."""
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


def stubbed_config(region: str) -> BaseClient:
    """AWS Config for prod's drift-repair rule. moto stores Config rules but does not evaluate
    them, and has no GetComplianceDetailsByConfigRule, so it is stubbed."""
    config = boto3.client("config", region_name=region)
    stubber = Stubber(config)
    rule = f"vpc-flow-logs-repair-rule-{region}"
    source = {"Owner": "AWS", "SourceIdentifier": "VPC_FLOW_LOGS_ENABLED"}
    stubber.add_response(
        "describe_config_rules",
        {"ConfigRules": [{"ConfigRuleName": rule, "ConfigRuleState": "ACTIVE", "Source": source}]},
        {"ConfigRuleNames": [rule]},
    )
    stubber.add_response(
        "get_compliance_details_by_config_rule",
        {"EvaluationResults": []},
        {"ConfigRuleName": rule, "ComplianceTypes": ["NON_COMPLIANT"]},
    )
    stubber.activate()
    return config


def recorder(called: set[str]) -> ClientHook:
    """A client hook that adds the IAM action of every call a client makes to ``called``, and
    stubs AWS Config."""

    def watch(service: str, client: BaseClient) -> BaseClient:
        if service == "config":
            client = stubbed_config(client.meta.region_name)

        def record(model: Any, **_: Any) -> None:
            operation = (service, model.name)
            called.add(IAM_ACTION.get(operation, f"{service}:{model.name}"))

        # First, so that a stub's answer does not keep the call from being recorded.
        client.meta.events.register_first("before-call.*.*", record)
        return client

    return watch


@pytest.fixture(scope="module")
def healthy_prod_run(
    moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, dict[str, Any], set[str]]]:
    """One full run over a healthy prod account, for the module: its exit code, its report, and
    the IAM action of every call it made, recorded by an event hook on each client. A stale
    group is searched for a recent record (FilterLogEvents) before it is called stale, which a
    healthy run never needs, so a run over stale records is recorded too."""
    called: set[str] = set()
    directory = tmp_path_factory.mktemp("verifier-policy")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in fake_aws_environment(moto_endpoint).items():
            patch.setenv(name, value)
        patch.delenv("AWS_PROFILE", raising=False)
        session = boto3.Session()
        prod = prod_account().write(directory / "prod")
        stale = dev_account(records_age=timedelta(hours=3)).write(directory / "stale")
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = main(
                ["prod", "--outputs", str(prod), "--json"],
                session=session,
                on_client=recorder(called),
            )
        with contextlib.redirect_stdout(io.StringIO()):
            main(
                ["dev", "--outputs", str(stale), "--json"],
                session=session,
                on_client=recorder(called),
            )
        yield code, json.loads(out.getvalue()), called


def test_a_healthy_prod_account_passes_every_check_in_both_regions(
    healthy_prod_run: tuple[int, dict[str, Any], set[str]],
) -> None:
    code, report, _ = healthy_prod_run

    assert code == 0, [c for c in report["checks"] if not c["ok"]]
    checks = [(c["check"], c["region"]) for c in report["checks"]]
    assert checks.count(("flow-log", "us-east-1")) == checks.count(("flow-log", "us-west-2")) == 2
    for region in PROD_REGIONS:
        for check in ("log-group", "cloudwatch-records", "s3-records", "alarm-topic"):
            assert checks.count((check, region)) == 1, (check, region)
        assert checks.count(("alarm", region)) == 2
        assert checks.count(("drift-repair", region)) == 1


def test_the_policy_names_exactly_the_actions_a_full_run_calls(
    healthy_prod_run: tuple[int, dict[str, Any], set[str]],
) -> None:
    _, _, called = healthy_prod_run

    # What only a centralizing stack's run calls: tests/verify/test_centralization.py.
    assert called - NEEDS_NO_PERMISSION == policy_actions() - CENTRALIZATION_ACTIONS


def test_the_policy_only_reads() -> None:
    # A Logs Insights query reads: starting or stopping one changes nothing in the account.
    assert all(
        action.split(":")[1].startswith(("Describe", "Get", "List", "Filter"))
        or action in ("logs:StartQuery", "logs:StopQuery")
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


def test_parliament_finds_nothing_but_the_tag_scoped_config_rule() -> None:
    document = json.loads(POLICY.read_text())
    # Parliament 1.6 does not know Observability Admin's actions, and an unknown action silences
    # its audit of the whole document: that statement is linted on its own, in
    # tests/verify/test_centralization_policy.py.
    document["Statement"] = [
        s for s in document["Statement"] if s["Sid"] != "ReadTheCentralizationRule"
    ]
    findings = lint(document)

    # Config rules are named by an id AWS generates, so the rule is scoped by the tag the stack
    # gives it (as in the deployer policy), which parliament still counts as every rule. It
    # reports where the statement starts in the document as it was given, on one line.
    (finding,) = findings
    assert finding.issue == "RESOURCE_EFFECTIVELY_STAR"
    start = json.dumps(document).index('{"Sid": "ReadTheDriftRepairRulesCompliance"')
    assert finding.location["column"] == start + 1
    assert statements()["ReadTheDriftRepairRulesCompliance"]["Condition"] == {
        "StringEquals": {"aws:ResourceTag/managed-by": "vpc-flow-logs"}
    }
