"""What moto cannot answer, through botocore's Stubber, and failures injected into clients.

moto stores AWS Config rules but neither evaluates them nor has
GetComplianceDetailsByConfigRule, and does not emulate CloudWatch observability admin at all
(no telemetry rules), so those two services are stubbed. A failure of any other call is
injected at the client's HTTP send (botocore's ``before-send`` event): the client sees an HTTP
500 as if moto's endpoint had answered it, and retries and parses it exactly so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.stub import Stubber

from tests.support.verify_accounts import PROD_GROUP, organization_rule_arn, prod_format
from verify.aws import ClientHook

STUBBED = ("config", "observabilityadmin")
"""The services answered by stubs."""


def config_rule_answers(region: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """A healthy drift-repair rule in ``region``: ACTIVE, and no VPC non-compliant."""
    rule = f"vpc-flow-logs-repair-rule-{region}"
    source = {"Owner": "AWS", "SourceIdentifier": "VPC_FLOW_LOGS_ENABLED"}
    return [
        (
            "describe_config_rules",
            {
                "ConfigRules": [
                    {"ConfigRuleName": rule, "ConfigRuleState": "ACTIVE", "Source": source}
                ]
            },
            {"ConfigRuleNames": [rule]},
        ),
        (
            "get_compliance_details_by_config_rule",
            {"EvaluationResults": []},
            {"ConfigRuleName": rule, "ComplianceTypes": ["NON_COMPLIANT"]},
        ),
    ]


def telemetry_rule(**changes: Any) -> dict[str, Any]:
    """The organisation telemetry rule that prod with ``organizationWide`` makes, as
    GetTelemetryRuleForOrganization returns its ``TelemetryRule``; ``changes`` replace keys of
    its ``VPCFlowLogParameters``, its destination, or the rule itself."""
    parameters = {"TrafficType": "ALL", "MaxAggregationInterval": 60, "LogFormat": prod_format()}
    destination: dict[str, Any] = {
        "DestinationType": "cloud-watch-logs",
        "DestinationPattern": f"{PROD_GROUP}/<accountId>/<resourceId>",
        "RetentionInDays": 365,
        "VPCFlowLogParameters": parameters,
    }
    rule: dict[str, Any] = {
        "ResourceType": "AWS::EC2::VPC",
        "TelemetryType": "Logs",
        "TelemetrySourceTypes": ["VPC_FLOW_LOGS"],
        "AllRegions": True,
        "DestinationConfiguration": destination,
    }
    for key, value in changes.items():
        target = parameters if key in parameters else destination if key in destination else rule
        target[key] = value
    return rule


def telemetry_rule_answer(**changes: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """GetTelemetryRuleForOrganization's answer for ``telemetry_rule(**changes)``."""
    return (
        "get_telemetry_rule_for_organization",
        {
            "RuleName": "vpc-flow-logs",
            "RuleArn": organization_rule_arn(),
            "TelemetryRule": telemetry_rule(**changes),
            "HomeRegion": "us-east-1",
        },
        {"RuleIdentifier": organization_rule_arn()},
    )


def stub(
    client: BaseClient,
    answers: list[tuple[str, dict[str, Any], dict[str, Any]]],
    fail: str | None = None,
) -> BaseClient:
    """``client`` answering ``answers`` in turn; from the one whose operation is ``fail`` on, an
    HTTP 500 instead (the Stubber's error skips botocore's retries)."""
    stubber = Stubber(client)
    for method, response, params in answers:
        if method == fail:
            stubber.add_client_error(
                method, "InternalFailure", "injected", 500, expected_params=params
            )
            break
        stubber.add_response(method, response, params)
    stubber.activate()
    return client


class _Body:
    """A raw HTTP body, as botocore reads one."""

    def __init__(self, content: bytes):
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content


@dataclass
class Account:
    """A client hook for runs over the accounts of ``verify_accounts``: stubs Config and the
    telemetry rule healthy, and makes ``fail`` (an operation such as ``DescribeFlowLogs`` or
    ``describe_config_rules``) answer HTTP 500 (``status``) with ``body``. ``attempts`` counts
    the injected answers; ``called`` records the IAM action of every call. Services in
    ``unstubbed`` are left to moto (which has no Config rule unless a test made one)."""

    fail: str | None = None
    unstubbed: tuple[str, ...] = ()
    status: int = 500
    body: bytes = b""
    telemetry_rule: tuple[str, dict[str, Any], dict[str, Any]] | None = None
    attempts: int = 0
    called: set[str] = field(default_factory=set)

    def hook(self) -> ClientHook:
        """The hook for ``verify.__main__.main(on_client=...)``."""
        return self._on_client

    def _on_client(self, service: str, client: BaseClient) -> BaseClient:
        # First, so that a stub's answer does not keep the call from being recorded.
        client.meta.events.register_first("before-call.*.*", self._record(service))
        if service == "config" and service not in self.unstubbed:
            return stub(client, config_rule_answers(client.meta.region_name), self.fail)
        if service == "observabilityadmin" and service not in self.unstubbed:
            answer = self.telemetry_rule or telemetry_rule_answer()
            return stub(client, [answer], self.fail)
        client.meta.events.register("before-send", self._answer)
        return client

    def _record(self, service: str) -> Any:
        def record(model: Any, **_: Any) -> None:
            action = "s3:ListBucket" if model.name == "ListObjectsV2" else f"{service}:{model.name}"
            self.called.add(action)

        return record

    def _answer(self, request: Any, event_name: str, **_: Any) -> AWSResponse | None:
        if self.fail is None or not event_name.endswith(f".{self.fail}"):
            return None
        self.attempts += 1
        return AWSResponse(request.url, self.status, {}, _Body(self.body))
