"""Turn on VPC Flow Logs for what this stack's config selects, in every region it covers, to
CloudWatch Logs, S3 or both, and to Firehose streams; watch them, repair drift, and serve the
organisation (its telemetry rule, its central log group, its archive) when asked.

Each capability is added by its function in ``components.composition``, which imports the
capability only when the stack turns it on.
"""

from dataclasses import replace

import pulumi

from components.composition import (
    add_central,
    add_firehose,
    add_flow_logs,
    add_monitoring,
    add_organization,
    add_repair,
    add_s3,
    central_args,
    stack_storage,
)
from components.flow_logs.vpc_lookup import resolve_vpc_ids
from components.outputs import StackComponents, freeze_long_lived_objects, stack_outputs
from components.regions import covered_regions
from components.settings import load_settings

# The SDK, loaded before the program runs, lives as long as it: the garbage collector's later
# passes need not rescan it, nor what the imports and lookups below make
# (components.outputs.freeze_long_lived_objects says why it is safe).
freeze_long_lived_objects()
settings = load_settings()
regions = covered_regions(settings.regions)
# Everything that asks AWS, and may refuse the stack, runs before any resource is registered:
# nothing is left half-created. A member's bucket and layout are read from its archive.
storage, archive = stack_storage(settings, regions)
targets = {
    region: replace(settings.targets, vpc_ids=resolve_vpc_ids(settings.selection, region.override))
    for region in regions
}
centralizing = central_args(settings, regions)

freeze_long_lived_objects()
built = StackComponents(regions, targets, archive=archive)
add_firehose(built, settings)  # first: it checks each stream's account against the provider
add_flow_logs(built, settings)
add_s3(built, settings, storage)
add_central(built, centralizing)
add_monitoring(built, settings, storage)
add_repair(built, settings, storage)
add_organization(built, settings)

freeze_long_lived_objects()
for name, value in stack_outputs(built).items():
    pulumi.export(name, value)
