"""The central key's policy, evaluated: CloudWatch Logs of the key's region may use it for the
central group only; nobody else may."""

from __future__ import annotations

import pytest

from components.aws_context import AwsContext
from components.centralization.documents import LOGS_KEY_ACTIONS, central_key_policy
from tests.support.iam_eval import Arn, Decision, Request, Service, decide
from tests.support.iam_lint import lint

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
CENTRAL = "arn:aws:logs:us-east-1:123456789012:log-group:/security/vpc-flow-logs"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
POLICY = central_key_policy(CONTEXT, "/security/vpc-flow-logs")


def logs(region: str, group_arn: str, action: str = "kms:GenerateDataKey") -> Request:
    return Request(
        action,
        KEY,
        Service(f"logs.{region}.amazonaws.com"),
        {"kms:EncryptionContext:aws:logs:arn": group_arn},
    )


@pytest.mark.parametrize("action", LOGS_KEY_ACTIONS)
def test_cloudwatch_logs_of_the_region_may_use_it_for_the_central_group(action: str) -> None:
    assert decide(logs("us-east-1", CENTRAL, action), POLICY) is Decision.ALLOW


@pytest.mark.parametrize(
    "request_",
    [
        # Another group of the same account and region.
        logs("us-east-1", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"),
        # The same name in another account.
        logs("us-east-1", CENTRAL.replace("123456789012", "111122223333")),
        # CloudWatch Logs of another region.
        logs("eu-west-1", CENTRAL),
        # No encryption context at all.
        Request("kms:Decrypt", KEY, Service("logs.us-east-1.amazonaws.com")),
        # Another service, and a role of another account.
        Request("kms:Decrypt", KEY, Service("delivery.logs.amazonaws.com")),
        Request("kms:Decrypt", KEY, Arn("arn:aws:iam::111122223333:role/reader")),
    ],
    ids=["other group", "other account", "other region", "no context", "other service", "role"],
)
def test_nobody_else_may(request_: Request) -> None:
    assert decide(request_, POLICY) is Decision.IMPLICIT_DENY


def test_the_account_administers_the_key_through_iam() -> None:
    admin = Request("kms:PutKeyPolicy", KEY, Arn("arn:aws:iam::123456789012:role/admin"))

    assert decide(admin, POLICY) is Decision.ALLOW


def test_a_backup_key_admits_its_own_region_s_service_only() -> None:
    west = central_key_policy(
        AwsContext("123456789012", "us-west-2", "aws", "amazonaws.com"), "/security/vpc-flow-logs"
    )
    backup_group = CENTRAL.replace("us-east-1", "us-west-2")

    assert decide(logs("us-west-2", backup_group), west) is Decision.ALLOW
    assert decide(logs("us-east-1", CENTRAL), west) is Decision.IMPLICIT_DENY


def test_parliament_finds_only_what_a_key_policy_means_by_design() -> None:
    # Parliament reads every document as an identity policy: in a key policy Resource "*" means
    # "this key", the account-root statement is AWS's default, and ArnEquals on the encryption
    # context is AWS's documented form. The flow logs' own key policy has exactly these too.
    assert sorted(issue for issue, _ in lint(POLICY)) == [
        "MISMATCHED_TYPE",
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_STAR",
        "RESOURCE_STAR",
    ]
