"""How the program composes the capabilities a stack turns on: one function for each, called in
order by ``__main__.py``, each adding its components to ``StackComponents``.

Each function imports its capability inside the branch that uses it, so a stack loads only what
it turns on. What asks AWS, and may refuse the stack, runs before anything is registered:
``stack_storage`` and ``central_args``, then ``add_firehose``, which ``__main__.py`` calls first
of the components because it checks each stream's account against the provider's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from components.outputs import StackComponents
from components.regions import CoveredRegion

if TYPE_CHECKING:
    from components.archive.settings import ArchiveRole
    from components.centralization.component import CentralFlowLogsArgs
    from components.settings import Settings
    from components.storage.settings import StorageSettings


def stack_storage(
    settings: Settings, regions: Sequence[CoveredRegion]
) -> tuple[StorageSettings | None, ArchiveRole | None]:
    """The stack's S3 settings and archive role: a member's bucket and layout are the archive's,
    read from the archive stack's outputs."""
    storage, archive = settings.storage, settings.archive
    if archive is not None and storage is not None:
        from components.archive.member import archive_storage

        return archive_storage(archive, storage, tuple(r.name for r in regions))
    return storage, archive


def central_args(
    settings: Settings, regions: Sequence[CoveredRegion]
) -> CentralFlowLogsArgs | None:
    """The central group's args, with the organisation read from AWS Organizations: an account
    in no organisation is refused here, before anything is registered."""
    if not settings.centralization:
        return None
    from components.centralization.component import centralization_args

    options = settings.options
    return centralization_args(
        settings.centralization,
        options.retention_in_days,
        regions,
        protect_logs=options.protect_logs,
        tags=options.tags,
    )


def add_firehose(built: StackComponents, settings: Settings) -> None:
    """Flow logs to Firehose streams, and the destination role for other accounts' flow logs.
    First: each stream's account is judged against the provider's before anything is created."""
    firehose = settings.firehose
    if firehose is None:
        return
    if firehose.stream_arns:
        from components.firehose.component import FirehoseFlowLogs, firehose_args

        built.firehose = FirehoseFlowLogs(
            "vpc-flow-logs-firehose",
            firehose_args(
                built.targets,
                settings.options,
                firehose,
                delete_before_replace=settings.delete_before_replace,
            ),
        )
    if firehose.source_accounts:
        from components.firehose.destination import FirehoseDestinationRole

        built.firehose_role = FirehoseDestinationRole(
            "vpc-flow-logs-firehose-destination",
            {"source_accounts": firehose.source_accounts, "tags": settings.options.tags},
        )


def add_flow_logs(built: StackComponents, settings: Settings) -> None:
    """Each region's log group, delivery role and CloudWatch flow logs. A stack that serves the
    organisation may log nothing of its own in a region."""
    if not settings.to_cloudwatch:
        return
    from components.flow_logs.component import VpcFlowLogs, flow_log_args

    for region in (region for region in built.regions if built.targets[region]):
        built.flow_logs[region] = VpcFlowLogs(
            region.resource_name("vpc-flow-logs"),
            flow_log_args(
                built.targets[region],
                settings.options,
                region.override,
                delete_before_replace=settings.delete_before_replace,
            ),
        )


def add_s3(
    built: StackComponents,
    settings: Settings,
    storage: StorageSettings | None,
) -> None:
    """S3 delivery into one bucket for every region (the archive's, for a member), and Athena
    over it."""
    if storage is None or not storage.to_s3:
        return
    from components.storage.s3_delivery import S3FlowLogs, s3_flow_logs_args

    built.s3 = S3FlowLogs(
        "vpc-flow-logs-s3",
        s3_flow_logs_args(
            built.targets,
            settings.options,
            storage,
            delete_before_replace=settings.delete_before_replace,
            archive=built.archive,
        ),
    )
    if storage.athena:
        from components.storage.athena import FlowLogAthena, athena_args

        # An archive's table covers the regions its members deliver from.
        regions = list(getattr(built.archive, "regions", ())) or [r.name for r in built.regions]
        built.athena = FlowLogAthena(
            "vpc-flow-logs-athena", athena_args(built.s3, settings.options, storage, regions)
        )


def add_central(built: StackComponents, args: CentralFlowLogsArgs | None) -> None:
    """The central group, its key and the organisation's centralization rule."""
    if args is not None:
        from components.centralization.component import CentralFlowLogs

        built.central = CentralFlowLogs("vpc-flow-logs-central", args)


def add_monitoring(
    built: StackComponents, settings: Settings, storage: StorageSettings | None
) -> None:
    """Alarms, queries and a dashboard: on the central group alone when the stack centralizes
    (it holds every account's records, the stack's own too, so each event alarms once), else on
    each region's log group and, at home, the stack's bucket."""
    if not settings.monitoring:
        return
    from components.monitoring.component import FlowLogMonitoring, monitoring_args

    if built.central is not None:
        built.monitoring[built.home] = FlowLogMonitoring(
            "vpc-flow-logs-monitoring",
            {
                **monitoring_args(settings.monitoring, built.central.log_group_name),
                "centralized": True,
            },
        )
        return
    from components.monitoring.wiring import watched_delivery

    for region in built.regions:
        if watched := watched_delivery(built, storage, region):
            built.monitoring[region] = FlowLogMonitoring(
                region.resource_name("vpc-flow-logs-monitoring"),
                monitoring_args(settings.monitoring, region=region.override, **watched),
            )


def add_repair(built: StackComponents, settings: Settings, storage: StorageSettings | None) -> None:
    """Drift repair in each region, delivering as the stack does."""
    if not settings.repair_drift:
        return
    from components.drift_repair.component import DriftRepair, drift_repair_args

    for region in built.regions:
        built.repair[region] = DriftRepair(
            region.resource_name("vpc-flow-logs-repair"),
            drift_repair_args(
                settings.options, region.override, storage, **built.repair_destination(region)
            ),
        )


def add_organization(built: StackComponents, settings: Settings) -> None:
    """The organisation's telemetry rule for every account's VPCs."""
    if settings.organization_wide:
        from components.organization.component import OrganizationFlowLogs, organization_args

        built.organization = OrganizationFlowLogs(
            "vpc-flow-logs-org", organization_args(settings.options)
        )
