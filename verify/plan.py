"""Which checks a stack needs, as probes that ``--wait`` can run again one by one.

A new check plugs in here: write ``check_x(aws, region, ...) -> list[Check]`` in a module of
its own, and append ``Probe(check, region, resource, partial(check_x, aws, ...))`` under the
condition (a setting in ``Expected``, an output in ``StackOutputs``) that calls for it, in the
order the report should show. The probe's function lets AWS's errors escape: the runner turns
each into an ``unknown`` row of that probe, and the other probes still run (see ``Probe``).
Add the calls it makes to ``deploy/verifier-policy.json``; the tests hold the policy to them.
"""

from __future__ import annotations

from functools import partial

from verify.alarms import check_alarms, check_topic
from verify.archive import archive_probes, logs_nothing_of_its_own
from verify.aws import Aws
from verify.centralization import centralization_probes
from verify.coverage import check_coverage, selection
from verify.drift_repair import check_drift_repair
from verify.expected import Expected
from verify.firehose import check_firehose, streams_to_check
from verify.flow_logs import Destinations, check_flow_logs
from verify.log_groups import Clock, check_log_group, check_records
from verify.outputs import RegionOutputs, StackOutputs
from verify.results import Check, Probe
from verify.s3_records import check_s3_records
from verify.telemetry_rule import check_telemetry_rule


def plan(
    aws: Aws,
    outputs: StackOutputs,
    expected: Expected,
    account_id: str,
    fresh_minutes: int,
    now: Clock,
) -> list[Probe]:
    """Every probe the stack's outputs and settings call for, in the order of the report."""
    regions = list(outputs.regions)
    destinations = Destinations(
        log_groups={name: r.log_groups for name, r in outputs.regions.items()},
        bucket_name=outputs.bucket_name,
        firehose_streams=outputs.raw.get("firehoseStreamArns") or {},
    )
    probes = [
        Probe(
            "flow-log",
            ", ".join(regions),
            "the outputs' flow logs",
            partial(check_flow_logs, aws, outputs.flow_logs, regions, expected, destinations),
        )
    ]
    if expected.organization_destination_pattern and outputs.organization_rule_arn:
        probes.append(
            Probe(
                "telemetry-rule",
                expected.home_region,
                outputs.organization_rule_arn,
                partial(
                    check_telemetry_rule,
                    aws,
                    expected.home_region,
                    outputs.organization_rule_arn,
                    expected,
                ),
            )
        )
    stack_flow_logs = frozenset(ref.id for ref in outputs.flow_logs)
    for region in outputs.regions.values():
        if covers := selection(expected):
            probes.append(
                Probe(
                    "coverage",
                    region.name,
                    covers,
                    partial(check_coverage, aws, region.name, expected, stack_flow_logs),
                )
            )
        probes += _region_probes(aws, outputs, expected, account_id, fresh_minutes, now, region)
        probes += _missing_outputs(expected, outputs, region)
    for region_name, stream in streams_to_check(
        outputs.raw.get("firehoseStreamArns") or {}, account_id
    ):
        probes.append(
            Probe(
                "firehose", region_name, stream, partial(check_firehose, aws, region_name, stream)
            )
        )
    probes += centralization_probes(aws, outputs, expected, fresh_minutes, now)
    # An archive: every account's folder of the bucket.
    probes += archive_probes(aws, outputs, expected, fresh_minutes, now)
    return probes


def _region_probes(
    aws: Aws,
    outputs: StackOutputs,
    expected: Expected,
    account_id: str,
    fresh_minutes: int,
    now: Clock,
    region: RegionOutputs,
) -> list[Probe]:
    """The probes of what the outputs name in one region."""
    probes = []
    for group in region.log_groups:
        probes.append(
            Probe(
                "log-group",
                region.name,
                group,
                partial(
                    check_log_group,
                    aws,
                    region.name,
                    group,
                    expected.retention_in_days,
                    region.kms_key_arn,
                ),
            )
        )
        probes.append(
            Probe(
                "cloudwatch-records",
                region.name,
                group,
                partial(check_records, aws, region.name, group, fresh_minutes, now),
            )
        )
    if expected.to_s3 and outputs.bucket_name and not logs_nothing_of_its_own(outputs):
        probes.append(
            Probe(
                "s3-records",
                region.name,
                f"s3://{outputs.bucket_name}",
                partial(
                    check_s3_records,
                    aws,
                    region.name,
                    outputs.bucket_name,
                    expected,
                    account_id,
                    fresh_minutes,
                    now,
                ),
            )
        )
    if region.alarm_names:
        probes.append(
            Probe(
                "alarm",
                region.name,
                ", ".join(region.alarm_names),
                partial(check_alarms, aws, region.name, region.alarm_names),
            )
        )
    if region.alarm_topic_arn:
        probes.append(
            Probe(
                "alarm-topic",
                region.name,
                region.alarm_topic_arn,
                partial(
                    check_topic, aws, region.name, region.alarm_topic_arn, expected.alarm_emails
                ),
            )
        )
    if region.drift_repair_rule_name:
        probes.append(
            Probe(
                "drift-repair",
                region.name,
                region.drift_repair_rule_name,
                partial(check_drift_repair, aws, region.name, region.drift_repair_rule_name),
            )
        )
    return probes


def _missing_outputs(
    expected: Expected, outputs: StackOutputs, region: RegionOutputs
) -> list[Probe]:
    """Rows for what the settings turn on but the outputs do not name: the settings changed
    since the last deploy."""
    missing = []
    # A stack that centralizes may log no VPC of its own: then it has no group of its own.
    if expected.to_cloudwatch and not region.log_groups and not outputs.centralizes:
        missing.append(("log-group", "logGroupName"))
    if expected.alarms and not region.alarm_names:
        missing.append(("alarm", "alarmNames"))
    if expected.repair_drift and not region.drift_repair_rule_name:
        missing.append(("drift-repair", "driftRepairRuleName"))
    if expected.to_s3 and not outputs.bucket_name:
        missing.append(("s3-records", "bucketName"))
    at_home = region.name == expected.home_region
    if at_home and expected.organization_destination_pattern and not outputs.organization_rule_arn:
        missing.append(("telemetry-rule", "organizationRuleArn"))
    rows = [
        Check(
            check,
            region.name,
            key,
            False,
            f"the stack's settings call for it, but {outputs.source} has no {key} for "
            f"{region.name}: the settings changed since the last deploy; run ./up.sh.",
        )
        for check, key in missing
    ]
    if not rows:
        return []
    return [Probe("outputs", region.name, outputs.source, partial(list, rows))]
