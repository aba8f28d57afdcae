"""Which checks a stack needs, as probes that ``--wait`` can run again one by one."""

from __future__ import annotations

from functools import partial

from verify.alarms import check_alarms, check_topic
from verify.archive import archive_probes, logs_nothing_of_its_own
from verify.aws import Aws
from verify.drift_repair import check_drift_repair
from verify.expected import Expected
from verify.flow_logs import Destinations, check_flow_logs
from verify.log_groups import Clock, check_log_group, check_records
from verify.outputs import RegionOutputs, StackOutputs
from verify.results import Check, Probe
from verify.s3_records import check_s3_records


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
    )
    probes = [
        Probe(
            "flow logs",
            partial(check_flow_logs, aws, outputs.flow_logs, regions, expected, destinations),
        )
    ]
    for region in outputs.regions.values():
        for group in region.log_groups:
            probes.append(
                Probe(
                    f"log group {group} in {region.name}",
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
                    f"records in {group} in {region.name}",
                    partial(check_records, aws, region.name, group, fresh_minutes, now),
                )
            )
        if expected.to_s3 and outputs.bucket_name and not logs_nothing_of_its_own(outputs):
            probes.append(
                Probe(
                    f"records in s3://{outputs.bucket_name} for {region.name}",
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
                    f"alarms in {region.name}",
                    partial(check_alarms, aws, region.name, region.alarm_names),
                )
            )
        if region.alarm_topic_arn:
            probes.append(
                Probe(
                    f"alarm topic in {region.name}",
                    partial(
                        check_topic, aws, region.name, region.alarm_topic_arn, expected.alarm_emails
                    ),
                )
            )
        if region.drift_repair_rule_name:
            probes.append(
                Probe(
                    f"drift repair in {region.name}",
                    partial(check_drift_repair, aws, region.name, region.drift_repair_rule_name),
                )
            )
        probes += _missing_outputs(expected, outputs, region)
    # An archive: every account's folder of the bucket.
    probes += archive_probes(aws, outputs, expected, fresh_minutes, now)
    return probes


def _missing_outputs(
    expected: Expected, outputs: StackOutputs, region: RegionOutputs
) -> list[Probe]:
    """Rows for what the settings turn on but the outputs do not name: the settings changed
    since the last deploy."""
    missing = []
    if expected.to_cloudwatch and not region.log_groups:
        missing.append(("log-group", "logGroupName"))
    if expected.alarms and not region.alarm_names:
        missing.append(("alarm", "alarmNames"))
    if expected.repair_drift and not region.drift_repair_rule_name:
        missing.append(("drift-repair", "driftRepairRuleName"))
    if expected.to_s3 and not outputs.bucket_name:
        missing.append(("s3-records", "bucketName"))
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
    return [Probe(f"outputs of {region.name}", partial(list, rows))] if rows else []
