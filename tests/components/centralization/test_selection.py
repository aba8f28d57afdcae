"""The rule's selection, parsed and evaluated as an OAM link filter: it takes the member groups
that the telemetry rule and this project's stacks create, and neither the central group nor a
transit-gateway group."""

from __future__ import annotations

import re

import pytest

from components.centralization.settings import (
    MAX_SELECTION_LENGTH,
    CentralizationSettings,
    log_group_selection,
)
from components.organization.settings import ACCOUNT_MACRO, RESOURCE_MACRO, OrganizationSettings
from tests.support.program import run_stack

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
_TOKEN = re.compile(r"\s*(?:(?P<string>'[^']*')|(?P<word>[A-Za-z]+)|(?P<op>!=|=|\(|\)|,))")


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        assert match, f"cannot read the selection at {text[position:]!r}"
        tokens.append(match.group(match.lastgroup or ""))
        position = match.end()
    return tokens


def _like(pattern: str, value: str) -> bool:
    """OAM's LIKE: ``%`` matches any run of characters; everything else is literal."""
    return re.fullmatch(".*".join(map(re.escape, pattern.split("%"))), value) is not None


def selects(selection: str, log_group_name: str) -> bool:
    """Whether an OAM link filter over ``LogGroupName`` selects the group: conditions
    (``=``, ``!=``, ``LIKE``, ``NOT LIKE``, ``IN``) joined by ``AND`` and ``OR``, ``AND`` binding
    tighter."""
    tokens = _tokens(selection)

    def condition(at: int) -> tuple[bool, int]:
        assert tokens[at] == "LogGroupName", f"unknown operand {tokens[at]!r}"
        operator, at = tokens[at + 1], at + 2
        if operator == "NOT":
            assert tokens[at] == "LIKE"
            operator, at = "NOT LIKE", at + 1
        if operator == "IN":
            assert tokens[at] == "("
            values, at = [], at + 1
            while tokens[at] != ")":
                values.append(tokens[at].strip("'"))
                at += 2 if tokens[at + 1] == "," else 1
            return log_group_name in values, at + 1
        value = tokens[at].strip("'")
        outcomes = {
            "=": log_group_name == value,
            "!=": log_group_name != value,
            "LIKE": _like(value, log_group_name),
            "NOT LIKE": not _like(value, log_group_name),
        }
        return outcomes[operator], at + 1

    at, any_term = 0, False
    while True:
        term, at = condition(at)
        while at < len(tokens) and tokens[at] == "AND":
            holds, at = condition(at + 1)
            term = term and holds
        any_term = any_term or term
        if at == len(tokens):
            return any_term
        assert tokens[at] == "OR", f"unexpected {tokens[at]!r}"
        at += 1


def _telemetry_rule_group(prefix: str, account: str, vpc: str) -> str:
    pattern = OrganizationSettings(log_group_name=prefix).destination_pattern
    return pattern.replace(ACCOUNT_MACRO, account).replace(RESOURCE_MACRO, vpc)


@pytest.mark.parametrize(
    "prefix", ["/aws/vpc/flowlogs", "/aws/vpc/flowlogs-prod", "/org/flow_logs"]
)
def test_it_selects_every_account_s_telemetry_rule_groups(prefix: str) -> None:
    selection = CentralizationSettings(prefix).selection

    for account, vpc in [
        ("111122223333", "vpc-0123456789abcdef0"),
        ("444455556666", "vpc-1a2b3c4d"),
    ]:
        assert selects(selection, _telemetry_rule_group(prefix, account, vpc))


def test_it_selects_a_member_stack_s_vpc_group_but_not_its_transit_gateway_group() -> None:
    member = run_stack({"allVpcs": True})
    with_tgw = run_stack({"transitGatewayIds": ["tgw-0123456789abcdef0"]}, stack="tgw")
    groups = {r.inputs["name"] for run in (member, with_tgw) for r in run.of_type(LOG_GROUP)}
    selection = CentralizationSettings("/aws/vpc/flowlogs").selection

    assert groups == {"/aws/vpc/flowlogs", "/aws/vpc/flowlogs/transit-gateways"}
    assert selects(selection, "/aws/vpc/flowlogs")
    assert not selects(selection, "/aws/vpc/flowlogs/transit-gateways")


def test_it_never_selects_the_central_group_or_others() -> None:
    settings = CentralizationSettings("/aws/vpc/flowlogs")

    assert not selects(settings.selection, settings.log_group_name)
    assert not selects(settings.selection, "/aws/lambda/handler")
    assert not selects(settings.selection, "/security/aws/vpc/flowlogs")


def test_it_fits_aws_limit_for_the_longest_log_group_name() -> None:
    longest = "/" + "a" * 511

    assert len(log_group_selection(longest)) <= MAX_SELECTION_LENGTH


def test_the_parser_reads_every_operator_it_claims() -> None:
    # The evaluator itself must be able to fail, or the checks above prove nothing.
    assert selects("LogGroupName = 'a' OR LogGroupName IN ('b', 'c')", "c")
    assert not selects("LogGroupName != 'a' AND LogGroupName LIKE 'b%'", "a")
    assert not selects("LogGroupName NOT LIKE '%x'", "ax")
