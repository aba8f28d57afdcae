"""Where flow logs go in Firehose, and who may deliver there: ``FirehoseSettings`` and its
validators.

Everything here is pure: no ``Output``, no invoke, no resource. The stack's config and the
components' arguments go through the same checks, and every message names the key, the value
given and what is allowed. Whether a stream is in the stack's own account is decided against
the provider's account (``delivery_problems``), which the caller asks the provider for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from components.config import given
from components.regions import region_problems

CROSS_ACCOUNT_ROLE_PREFIX = "AWSLogDeliveryFirehoseCrossAccountRole"
"""AWS requires the destination account's role name to start with this."""
DESTINATION_ROLE_NAME = f"{CROSS_ACCOUNT_ROLE_PREFIX}-vpc-flow-logs"
"""The destination role a stack with ``firehoseSourceAccounts`` creates, in the stream's account."""
SOURCE_ROLE_PATH = "/vpc-flow-logs-firehose/"
"""The IAM path of every source role this project creates. The destination role trusts a listed
account's roles under this path only, so the source stacks' role names need not be known, nor
exist, when the destination stack runs."""
LOG_DELIVERY_TAG = ("LogDeliveryEnabled", "true")
"""The tag AWS's log-delivery service-linked role requires on a stream it writes to."""

_PARTITION = r"aws(?:-[a-z]+)*"
_REGION = r"[a-z]{2}(?:-[a-z]+)+-\d{1,2}"
_STREAM_ARN = re.compile(
    rf"arn:(?P<partition>{_PARTITION}):firehose:(?P<region>{_REGION}):(?P<account_id>\d{{12}})"
    r":deliverystream/(?P<name>[A-Za-z0-9_.-]{1,64})"
)
_ROLE_ARN = re.compile(
    rf"arn:(?P<partition>{_PARTITION}):iam::(?P<account>\d{{12}}):role/"
    r"(?:[\x21-\x7e]*/)?(?P<name>[\w+=,.@-]{1,64})"
)
_ACCOUNT = re.compile(r"\d{12}")
STREAM_ARN_FORM = "arn:<partition>:firehose:<region>:<account id>:deliverystream/<name>"


@dataclass(frozen=True)
class StreamArn:
    """The parts of a delivery stream's ARN."""

    arn: str
    partition: str
    region: str
    account_id: str
    name: str


def parse_stream_arn(arn: str) -> StreamArn | None:
    """The parts of a delivery stream's ARN, or None when ``arn`` is not one."""
    match = _STREAM_ARN.fullmatch(arn)
    if match is None:
        return None
    return StreamArn(arn, **match.groupdict())


def role_account(arn: str) -> str | None:
    """The account of an IAM role's ARN, or None when ``arn`` is not a role's."""
    match = _ROLE_ARN.fullmatch(arn)
    return match.group("account") if match else None


@dataclass(frozen=True)
class FirehoseSettings:
    """Flow logs to Firehose streams, and the destination role for other accounts' flow logs."""

    stream_arns: Mapping[str, str]
    """A delivery stream's ARN by the region whose targets deliver to it (``firehoseArns``).
    Defaults to none."""
    cross_account_role_arn: str | None = None
    """The role in the streams' account that the source role assumes when a stream is in
    another account (``firehoseCrossAccountRoleArn``). Defaults to none."""
    source_accounts: tuple[str, ...] = ()
    """Accounts whose flow logs may deliver to this account's streams: the stack creates
    ``DESTINATION_ROLE_NAME`` for them (``firehoseSourceAccounts``). Defaults to none."""


def stream_problems(stream_arns: Mapping[str, str]) -> list[str]:
    """Problems with ``firehoseArns``: a key that is not a region, a value that is not a
    delivery stream's ARN, or a stream in another region than its key."""
    problems = region_problems(list(stream_arns), "firehoseArns")
    for region, arn in stream_arns.items():
        stream = parse_stream_arn(arn)
        if stream is None:
            problems.append(
                f"firehoseArns: {region!r}: {arn!r} is not an Amazon Data Firehose delivery "
                f"stream's ARN; expected {STREAM_ARN_FORM}."
            )
        elif stream.region != region and not region_problems([region]):
            problems.append(
                f"firehoseArns: {region!r}: {arn!r} is a stream in {stream.region}, but a flow "
                f"log delivers only to a stream in its own region; give a stream in {region}, "
                f"or key this one by {stream.region!r}."
            )
    return problems


def cross_account_role_problems(role_arn: str | None, streams: bool) -> list[str]:
    """Problems with ``firehoseCrossAccountRoleArn`` alone: not a role's ARN, a name AWS does not
    accept, or a role given with no stream to deliver to (``streams``)."""
    if role_arn is None:
        return []
    match = _ROLE_ARN.fullmatch(role_arn)
    if match is None:
        return [
            f"firehoseCrossAccountRoleArn: {role_arn!r} is not an IAM role's ARN; expected "
            f"arn:<partition>:iam::<account id>:role/{CROSS_ACCOUNT_ROLE_PREFIX}<suffix>."
        ]
    problems = []
    if not match.group("name").startswith(CROSS_ACCOUNT_ROLE_PREFIX):
        problems.append(
            f"firehoseCrossAccountRoleArn: {role_arn!r} names role {match.group('name')!r}; "
            f"AWS delivers across accounts only through a role whose name starts with "
            f"{CROSS_ACCOUNT_ROLE_PREFIX}, such as {DESTINATION_ROLE_NAME}."
        )
    if not streams:
        problems.append(
            f"firehoseCrossAccountRoleArn: {role_arn!r} is set, but firehoseArns is empty; "
            "give the streams to deliver to, or leave firehoseCrossAccountRoleArn empty."
        )
    return problems


def source_account_problems(accounts: Sequence[str]) -> list[str]:
    """Problems with ``firehoseSourceAccounts``: not account ids, or repeated."""
    problems = []
    for account in sorted(set(accounts), key=list(accounts).index):
        if not _ACCOUNT.fullmatch(account):
            problems.append(
                f"firehoseSourceAccounts: {account!r} is not an AWS account id; use 12 digits."
            )
        if accounts.count(account) > 1:
            problems.append(
                f"firehoseSourceAccounts: {account!r} appears more than once; list each "
                "account once."
            )
    return problems


def coverage_problems(stream_arns: Mapping[str, str], covered: Sequence[str]) -> list[str]:
    """Streams keyed by a region the stack does not cover: no target there would use them."""
    return [
        f"firehoseArns: {region!r} is not a region this stack covers ({', '.join(covered)}); "
        "add it to regions, or remove its stream."
        for region in stream_arns
        if region not in covered
    ]


def delivery_problems(
    stream_arns: Mapping[str, str], role_arn: str | None, account_id: str
) -> list[str]:
    """Problems only the provider's account shows: a stream in another account with no
    cross-account role, or in an account other than the role's, or a role no stream needs."""
    others = {
        region: stream.account_id
        for region, arn in stream_arns.items()
        if (stream := parse_stream_arn(arn)) and stream.account_id != account_id
    }
    if not others:
        if role_arn is None:
            return []
        return [
            f"firehoseCrossAccountRoleArn: {role_arn!r} is set, but every stream in "
            f"firehoseArns is in this stack's account {account_id}, where AWS delivers without "
            "a role; leave firehoseCrossAccountRoleArn empty."
        ]
    if role_arn is None:
        region, account = next(iter(others.items()))
        return [
            f"firehoseCrossAccountRoleArn: is empty, but firehoseArns {region!r} names a stream "
            f"in account {account}, not this stack's account {account_id}; set "
            f"firehoseCrossAccountRoleArn to the role {DESTINATION_ROLE_NAME} that a stack with "
            f"firehoseSourceAccounts: [{account_id}] creates in account {account}."
        ]
    destination = role_account(role_arn)
    return [
        f"firehoseArns: {region!r} names a stream in account {account}, but "
        f"firehoseCrossAccountRoleArn {role_arn!r} is in account {destination}; the role must "
        "be in the stream's account, so every cross-account stream must be in that one account."
        for region, account in others.items()
        if account != destination
    ]


def firehose_from_config(
    decoded: Mapping[str, object],
) -> tuple[FirehoseSettings | None, list[str]]:
    """Firehose's settings from the stack's config, and the problems with them; None when no
    Firehose key is set."""
    stream_arns = given(decoded, "firehoseArns") or {}
    role_arn = given(decoded, "firehoseCrossAccountRoleArn")
    accounts = given(decoded, "firehoseSourceAccounts") or ()
    assert isinstance(stream_arns, dict) and isinstance(accounts, tuple)
    assert role_arn is None or isinstance(role_arn, str)
    if not (stream_arns or role_arn or accounts):
        return None, []
    problems = (
        stream_problems(stream_arns)
        + cross_account_role_problems(role_arn, bool(stream_arns))
        + source_account_problems(accounts)
    )
    return FirehoseSettings(stream_arns, role_arn, accounts), problems
