"""``vpc-flow-log-retention`` through the Analyzer protocol."""

from __future__ import annotations

import pytest

from offline.analyzer import UNKNOWN, Diagnostic, PolicyPackProcess, Resource, engine_urn
from tests.support.policy_fixtures import (
    BUCKET_URN,
    FLOW_LOG_URN,
    LOG_GROUP_ARN,
    LOG_GROUP_URN,
    S3_FLOW_LOG_URN,
    STACK_URN,
    added,
    changed,
    compliant_stack,
    log_rule,
    resources,
    rewired,
    with_s3,
    without,
)

POLICY = "vpc-flow-log-retention"
DESCRIPTION = (
    "CloudWatch log groups and S3 buckets that receive flow logs expire them within a set range."
)
NEVER = (
    f"{DESCRIPTION}\nLog group 'flow-logs-log-group' receives flow logs and never expires them "
    "(retentionInDays is not set). Set retentionInDays between 365 and 3653."
)


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str]]:
    return [(d.urn, d.enforcement_level, d.message) for d in diagnostics if d.policy_name == POLICY]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_compliant_log_group_passes(pack: PolicyPackProcess, preview: bool) -> None:
    assert verdicts(pack.analyze_stack(resources(compliant_stack(preview=preview)))) == []


@pytest.mark.parametrize("days", [None, 0], ids=["absent", "zero"])
@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_never_expiring_log_group_is_blocked(
    pack: PolicyPackProcess, days: int | None, preview: bool
) -> None:
    stack = compliant_stack(preview=preview)
    stack = changed(stack, "log_group", retentionInDays=days)
    if days is None:
        assert "retentionInDays" not in stack["log_group"].properties
    assert verdicts(pack.analyze_stack(resources(stack))) == [(LOG_GROUP_URN, "mandatory", NEVER)]


def test_retention_below_the_minimum(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(), "log_group", retentionInDays=30)
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            LOG_GROUP_URN,
            "mandatory",
            f"{DESCRIPTION}\nLog group 'flow-logs-log-group' keeps flow logs for 30 days; this "
            "policy requires between 365 and 3653. Set retentionInDays within that range.",
        )
    ]


def test_retention_above_a_configured_maximum(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"minimumRetentionDays": 1, "maximumRetentionDays": 90}})
    stack = changed(compliant_stack(), "log_group", retentionInDays=365)
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            LOG_GROUP_URN,
            "mandatory",
            f"{DESCRIPTION}\nLog group 'flow-logs-log-group' keeps flow logs for 365 days; this "
            "policy requires between 1 and 90. Set retentionInDays within that range.",
        )
    ]


def test_short_retention_passes_with_a_lower_minimum(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"minimumRetentionDays": 1}})
    stack = changed(compliant_stack(), "log_group", retentionInDays=1)
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_log_group_linked_by_literal_arn_with_stream_suffix(pack: PolicyPackProcess) -> None:
    stack = rewired(
        changed(compliant_stack(), "flow_log", logDestination=f"{LOG_GROUP_ARN}:*"),
        "flow_log",
        property_dependencies={},
    )
    stack = changed(stack, "log_group", retentionInDays=None)
    assert verdicts(pack.analyze_stack(resources(stack))) == [(LOG_GROUP_URN, "mandatory", NEVER)]


def test_log_group_without_flow_logs_is_not_this_policys_business(
    pack: PolicyPackProcess,
) -> None:
    urn = engine_urn("aws:cloudwatch/logGroup:LogGroup", "app-logs")
    stack = added(
        compliant_stack(),
        app=Resource(
            "aws:cloudwatch/logGroup:LogGroup",
            "app-logs",
            urn,
            {"name": "app", "arn": "arn:aws:logs:us-east-1:123456789012:log-group:app"},
            parent=STACK_URN,
        ),
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_s3_flow_log_does_not_make_a_log_group_receive(pack: PolicyPackProcess) -> None:
    stack = changed(
        compliant_stack(),
        "flow_log",
        logDestinationType="s3",
        logDestination="arn:aws:s3:::flow-logs",
    )
    stack = rewired(stack, "flow_log", property_dependencies={})
    stack = changed(stack, "log_group", retentionInDays=None)
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_unknown_destination_without_dependency_is_an_advisory(pack: PolicyPackProcess) -> None:
    stack = rewired(
        compliant_stack(preview=True),
        "flow_log",
        property_dependencies={
            "vpcId": compliant_stack()["flow_log"].property_dependencies["vpcId"]
        },
    )
    stack = changed(stack, "log_group", retentionInDays=None)
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == []
    assert [
        (d.urn, d.enforcement_level, d.detail)
        for d in diagnostics
        if d.policy_name == "vpc-flow-log-checks-resolvable"
    ] == [
        (
            FLOW_LOG_URN,
            "advisory",
            "Flow log 'flow-logs-main' delivers to a destination that is unknown during this "
            "preview and depends on no log group of this stack, so its log group's retention and "
            "encryption are checked only when it is known.",
        ),
        # The role is unknown too once its dependency is gone.
        (
            FLOW_LOG_URN,
            "advisory",
            "Flow log 'flow-logs-main' uses a role that is unknown during this preview and "
            "depends on no role of this stack; vpc-flow-log-role-least-privilege checks only "
            "roles it can identify.",
        ),
    ]


def test_unknown_retention_is_an_advisory_not_a_pass(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(preview=True), "log_group", retentionInDays=UNKNOWN)
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == []
    assert (
        LOG_GROUP_URN,
        "Log group 'flow-logs-log-group' has a retentionInDays that is unknown during this "
        "preview; vpc-flow-log-retention checks it when it is known.",
    ) in [
        (d.urn, d.detail) for d in diagnostics if d.policy_name == "vpc-flow-log-checks-resolvable"
    ]


# Buckets that receive flow logs.

RESOLVABLE = "vpc-flow-log-checks-resolvable"
BUCKET_NEVER = (
    f"{DESCRIPTION}\nBucket 's3-bucket' receives flow logs under 'fl/AWSLogs/' and no enabled "
    "lifecycle rule expires them, so they are kept for ever. Add a lifecycle rule on that prefix "
    "with expiration days between 365 and 3653."
)


def s3_stack(*, preview: bool = False) -> dict[str, Resource]:
    return with_s3(compliant_stack(preview=preview), preview=preview)


def advisories(diagnostics: list[Diagnostic]) -> list[tuple[str, str]]:
    return [(d.urn, d.detail) for d in diagnostics if d.policy_name == RESOLVABLE]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_bucket_whose_lifecycle_expires_the_log_objects_passes(
    pack: PolicyPackProcess, preview: bool
) -> None:
    diagnostics = pack.analyze_stack(resources(s3_stack(preview=preview)))

    assert verdicts(diagnostics) == []
    # The bucket's name is chosen by the component: even a preview leaves nothing to defer.
    assert [a for a in advisories(diagnostics) if a[0] in (BUCKET_URN, S3_FLOW_LOG_URN)] == []


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_bucket_without_a_lifecycle_is_blocked(pack: PolicyPackProcess, preview: bool) -> None:
    stack = without(s3_stack(preview=preview), "lifecycle")

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (BUCKET_URN, "mandatory", BUCKET_NEVER)
    ]


@pytest.mark.parametrize(
    "rule",
    [
        log_rule(expiration=None),
        log_rule(status="Disabled"),
        log_rule(filter={"prefix": "other/"}),
        log_rule(filter={"and": {"prefix": "fl/", "tags": {"keep": "no"}}}),
        log_rule(filter={"prefix": "fl/", "objectSizeGreaterThan": 1024}),
    ],
    ids=["no-expiration", "disabled", "other-prefix", "tagged", "large-objects-only"],
)
def test_a_rule_that_does_not_expire_every_log_object_does_not_count(
    pack: PolicyPackProcess, rule: dict[str, object]
) -> None:
    stack = changed(s3_stack(), "lifecycle", rules=[rule])

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (BUCKET_URN, "mandatory", BUCKET_NEVER)
    ]


@pytest.mark.parametrize(
    "rule",
    [log_rule(filter=None), log_rule(filter={"prefix": ""}), log_rule(filter={"prefix": "fl/"})],
    ids=["whole-bucket", "empty-prefix", "parent-prefix"],
)
def test_a_rule_on_the_whole_bucket_or_a_parent_folder_counts(
    pack: PolicyPackProcess, rule: dict[str, object]
) -> None:
    stack = changed(s3_stack(), "lifecycle", rules=[rule])

    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_bucket_expiring_logs_too_soon_is_blocked(pack: PolicyPackProcess) -> None:
    stack = changed(
        s3_stack(), "lifecycle", rules=[log_rule(expiration={"days": 30}), log_rule(id="b")]
    )

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            BUCKET_URN,
            "mandatory",
            f"{DESCRIPTION}\nBucket 's3-bucket' expires flow logs under 'fl/AWSLogs/' after 30 "
            "days; this policy requires between 365 and 3653. Set the lifecycle rule's "
            "expiration days within that range.",
        )
    ]


def test_bucket_and_lifecycle_linked_by_literal_names(pack: PolicyPackProcess) -> None:
    stack = rewired(s3_stack(), "s3_flow_log", property_dependencies={})
    stack = rewired(stack, "lifecycle", property_dependencies={}, dependencies=[])
    assert verdicts(pack.analyze_stack(resources(stack))) == []

    stack = changed(stack, "lifecycle", bucket="another-bucket")
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (BUCKET_URN, "mandatory", BUCKET_NEVER)
    ]


def test_flow_log_to_a_bucket_outside_the_stack_is_listed_not_judged(
    pack: PolicyPackProcess,
) -> None:
    stack = without(s3_stack(), "bucket", "lifecycle")
    stack = rewired(stack, "s3_flow_log", property_dependencies={})
    stack = changed(stack, "s3_flow_log", logDestination="arn:aws:s3:::org-archive/fl")

    diagnostics = pack.analyze_stack(resources(stack))

    assert verdicts(diagnostics) == []
    assert advisories(diagnostics) == [
        (
            S3_FLOW_LOG_URN,
            "Flow log 's3-main' delivers to bucket 'org-archive', which is not in this stack; "
            "its lifecycle is its owner's, and vpc-flow-log-retention checks only buckets the "
            "stack creates.",
        )
    ]


def test_unknown_s3_destination_without_dependency_is_an_advisory(
    pack: PolicyPackProcess,
) -> None:
    stack = rewired(s3_stack(preview=True), "s3_flow_log", property_dependencies={})
    stack = changed(stack, "s3_flow_log", logDestination=UNKNOWN)

    diagnostics = pack.analyze_stack(resources(stack))

    assert verdicts(diagnostics) == []
    assert (
        S3_FLOW_LOG_URN,
        "Flow log 's3-main' delivers to an S3 destination that is unknown during this preview "
        "and depends on no bucket of this stack, so its bucket's lifecycle is checked only when "
        "it is known.",
    ) in advisories(diagnostics)


@pytest.mark.parametrize(
    ("label", "properties"),
    [
        ("lifecycle", {"rules": UNKNOWN}),
        ("lifecycle", {"rules": [log_rule(expiration=UNKNOWN)]}),
        ("s3_flow_log", {"logDestination": UNKNOWN}),
    ],
    ids=["rules", "expiration", "destination"],
)
def test_unknown_lifecycle_or_prefix_is_an_advisory_not_a_pass(
    pack: PolicyPackProcess, label: str, properties: dict[str, object]
) -> None:
    stack = changed(s3_stack(preview=True), label, **properties)

    diagnostics = pack.analyze_stack(resources(stack))

    assert verdicts(diagnostics) == []
    assert (
        BUCKET_URN,
        "Bucket 's3-bucket' has lifecycle rules or a flow-log prefix that are unknown during "
        "this preview; vpc-flow-log-retention checks its expiration when they are known.",
    ) in advisories(diagnostics)


def test_unknown_prefix_is_still_judged_by_a_whole_bucket_rule(pack: PolicyPackProcess) -> None:
    stack = changed(s3_stack(preview=True), "s3_flow_log", logDestination=UNKNOWN)
    stack = changed(stack, "lifecycle", rules=[log_rule(filter=None, expiration={"days": 7})])

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            BUCKET_URN,
            "mandatory",
            f"{DESCRIPTION}\nBucket 's3-bucket' expires its flow-log objects after 7 days; this "
            "policy requires between 365 and 3653. Set the lifecycle rule's expiration days "
            "within that range.",
        )
    ]
