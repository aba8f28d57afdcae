"""Who hears the alarms: the ``alarmEmails`` and ``alarmTopicArn`` rules, pure and checked before
anything is registered.

An alarm can only notify a topic in its own region, so a stack of several regions names a
topic per region (``alarmTopicArn`` as a map). A topic may be in another account (a security
team's): its policy must let ``cloudwatch.amazonaws.com`` publish, with ``aws:SourceAccount``
this account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

# The SNS topic ARN: arn:<partition>:sns:<region>:<account>:<name>, a name of 1 to 256 letters,
# digits, hyphens and underscores (and .fifo for FIFO topics, which alarms cannot notify).
_SNS_TOPIC_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:sns:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:[\w-]{1,256}")
# Deliberately plain: local@domain.tld, no spaces, one @. SNS checks the rest by asking for a
# confirmation.
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
PLACEHOLDER_DOMAINS = ("example.com", "example.org")
"""Domains reserved for documentation (RFC 2606): an address there receives no mail."""

NO_RECEIVER = (
    "alarmEmails and alarmTopicArn are both empty: an alarm that notifies nobody is not "
    "monitoring. Set alarmEmails (addresses subscribed to a topic the stack creates) or "
    "alarmTopicArn (an existing SNS topic)."
)
TOPIC_OR_EMAILS = (
    "alarmTopicArn and alarmEmails are mutually exclusive: subscribe the addresses to your own "
    "topic (alarmTopicArn), or let the stack create a topic for them (alarmEmails), not both."
)


def receiver_problems(alarm_emails: Sequence[str], topic_given: bool) -> list[str]:
    """The problem when the alarms would notify nobody: neither emails nor a topic.

    One rule for the stack's config (``alarms: true``) and for ``FlowLogMonitoring``'s args,
    checked before anything is registered. ``topic_given`` counts a topic ARN that is not known
    yet (an ``Output``).
    """
    return [] if alarm_emails or topic_given else [NO_RECEIVER]


def email_problems(alarm_emails: Sequence[str]) -> list[str]:
    """Addresses that are not email addresses, or are listed twice."""
    problems = []
    seen: set[str] = set()
    for email in alarm_emails:
        if not _EMAIL.fullmatch(email):
            problems.append(
                f"alarmEmails: {email!r} is not an email address; use name@example.com."
            )
        elif email.lower() in seen:
            problems.append(f"alarmEmails: {email!r} appears more than once; list each once.")
        seen.add(email.lower())
    return problems


def placeholder_warnings(alarm_emails: Sequence[str]) -> list[str]:
    """A warning for each address at a documentation domain, which no one reads."""
    warnings = []
    for email in alarm_emails:
        domain = email.rsplit("@", 1)[-1].lower()
        placeholder = next(
            (d for d in PLACEHOLDER_DOMAINS if domain == d or domain.endswith(f".{d}")), None
        )
        if placeholder is not None:
            warnings.append(
                f"alarmEmails: {email!r} is at {placeholder}, a placeholder domain that receives "
                "no mail: the alarms reach nobody until you replace it with your team's address "
                "(or set alarmTopicArn)."
            )
    return warnings


def topic_region(arn: str) -> str:
    """The region of a topic ARN: its fourth field."""
    return arn.split(":")[3]


def topic_problems(topic: str | Mapping[str, str]) -> list[str]:
    """Problems with ``alarmTopicArn``: not an SNS topic ARN, or in a map, a topic outside the
    region it is given for."""
    if isinstance(topic, str):
        return _arn_problems("alarmTopicArn", topic)
    if not topic:
        return ["alarmTopicArn: the map is empty; give a topic for each region the stack covers."]
    problems = []
    for region, arn in topic.items():
        problems += _arn_problems(f"alarmTopicArn.{region}", arn)
        if _SNS_TOPIC_ARN.fullmatch(arn) and topic_region(arn) != region:
            problems.append(
                f"alarmTopicArn.{region}: {arn!r} is a topic in {topic_region(arn)}; an alarm "
                f"can only notify a topic in its own region, so give a topic in {region}."
            )
    return problems


def _arn_problems(key: str, arn: str) -> list[str]:
    if _SNS_TOPIC_ARN.fullmatch(arn):
        return []
    return [
        f"{key}: {arn!r} is not an SNS topic ARN; expected "
        "arn:<partition>:sns:<region>:<account>:<topic name>."
    ]


def topic_coverage_problems(topic: str | Mapping[str, str], covered: Sequence[str]) -> list[str]:
    """Problems between ``alarmTopicArn`` and the regions the stack covers (empty: only its
    own): one topic for several regions, or a map that misses a region or names another."""
    if isinstance(topic, str):
        if len(covered) <= 1:
            return []
        return [
            f"alarmTopicArn: {topic!r} is one topic in one region, but regions covers "
            f"{len(covered)}; an alarm can only notify a topic in its own region, so give a map "
            f"of region to topic ARN ({', '.join(f'{r}: arn:...' for r in covered)}), or leave "
            "alarmTopicArn empty and let the stack create a topic in each region (alarmEmails "
            "subscribes to every one)."
        ]
    if not covered:
        if len(topic) == 1:
            return []
        return [
            f"alarmTopicArn: {len(topic)} topics for a stack of one region; give one, for the "
            "stack's own region."
        ]
    problems = []
    missing = [r for r in covered if r not in topic]
    if missing:
        problems.append(
            f"alarmTopicArn: no topic for {', '.join(missing)}; every region in regions needs "
            "one, in that region."
        )
    extra = [r for r in topic if r not in covered]
    if extra:
        problems.append(
            f"alarmTopicArn: {', '.join(extra)} is not in regions ({', '.join(covered)}); give "
            "a topic for each covered region only."
        )
    return problems
