"""A stack loads only the capabilities it turns on, and only the pulumi-aws services they use.

Each run is a fresh interpreter, as ``pulumi up`` starts one: within this test process, other
tests have long since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.program import PROJECT_DIR

CAPABILITIES = (
    "monitoring",
    "storage",
    "drift_repair",
    "organization",
    "firehose",
    "centralization",
    "archive",
)
THEIR_SERVICES = (
    "s3",
    "athena",
    "glue",
    "sns",
    "cfg",
    "ssm",
    "observabilityadmin",
    "organizations",
)

_LOADED = """
import json, sys
from tests.support.program import run_stack_file
run_stack_file(sys.argv[1])
# pulumi-aws registers every service as a lazy module; one counts as imported once it has run.
print(json.dumps(sorted(
    name for name, module in sys.modules.items() if type(module).__name__ != "_LazyModule"
)))
"""


_LOADED_WITH = """
import json, sys
from tests.support.program import run_stack
run_stack(json.loads(sys.argv[1]))
print(json.dumps(sorted(
    name for name, module in sys.modules.items() if type(module).__name__ != "_LazyModule"
)))
"""


def loaded_modules(stack: str, config: dict[str, object] | None = None) -> set[str]:
    """What running ``Pulumi.<stack>.yaml`` under mocks imports, in a fresh interpreter; or, with
    ``config``, a stack file holding just that."""
    code, argument = (_LOADED, stack) if config is None else (_LOADED_WITH, json.dumps(config))
    result = subprocess.run(
        [sys.executable, "-c", code, argument],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.fixture(scope="module")
def dev() -> set[str]:
    return loaded_modules("dev")


@pytest.fixture(scope="module")
def prod() -> set[str]:
    return loaded_modules("prod")


def test_dev_loads_only_the_flow_logs(dev: set[str]) -> None:
    assert "components.flow_logs.component" in dev
    assert (
        sorted(m for m in dev if m.startswith(tuple(f"components.{c}" for c in CAPABILITIES))) == []
    )


def test_dev_loads_no_aws_service_that_only_other_capabilities_use(dev: set[str]) -> None:
    assert {"pulumi_aws.ec2", "pulumi_aws.cloudwatch", "pulumi_aws.iam"} <= dev
    assert sorted(dev & {f"pulumi_aws.{service}" for service in THEIR_SERVICES}) == []


def test_a_key_of_a_capability_that_is_off_loads_its_validators_and_nothing_else() -> None:
    # Both values differ from Pulumi.yaml's defaults, so they are checked, though alarms are off
    # and the destination is CloudWatch; the dev stack above, at the defaults, loads neither.
    loaded = loaded_modules("test", {"s3FileFormat": "plain-text", "rejectedThreshold": 5})

    # The packages, their settings, and the pure modules monitoring's checks use: the
    # metric-filter grammar, the egress patterns whose length is checked, the receivers.
    assert sorted(
        m for m in loaded if m.startswith(tuple(f"components.{c}" for c in CAPABILITIES))
    ) == [
        "components.monitoring",
        "components.monitoring.egress",
        "components.monitoring.metric_filters",
        "components.monitoring.receivers",
        "components.monitoring.settings",
        "components.storage",
        "components.storage.settings",
    ]
    assert sorted(loaded & {f"pulumi_aws.{service}" for service in THEIR_SERVICES}) == []


def test_prod_loads_what_it_turns_on(prod: set[str]) -> None:
    # The check above can fail: prod turns on monitoring, S3 with Athena and drift repair.
    for module in (
        "components.monitoring.component",
        "components.storage.s3_delivery",
        "components.storage.athena",
        "components.drift_repair.component",
    ):
        assert module in prod
    assert "components.organization.component" not in prod
    assert "components.centralization.component" not in prod
    assert not [m for m in prod if m.startswith("components.archive")]
    assert {"pulumi_aws.s3", "pulumi_aws.athena", "pulumi_aws.glue", "pulumi_aws.sns"} <= prod
    assert {"pulumi_aws.cfg"} <= prod
    assert "pulumi_aws.observabilityadmin" not in prod
    assert "pulumi_aws.organizations" not in prod


def test_security_loads_centralization_and_not_s3() -> None:
    security = loaded_modules("security")

    assert {
        "components.centralization.component",
        "components.organization.component",
        "components.monitoring.component",
    } <= security
    assert {"pulumi_aws.observabilityadmin", "pulumi_aws.organizations"} <= security
    # It logs no VPC of its own and sends nothing to S3.
    assert "components.storage.s3_delivery" not in security
    assert "pulumi_aws.s3" not in security


def test_siem_loads_firehose_and_prod_does_not(prod: set[str]) -> None:
    siem = loaded_modules("siem")

    assert {"components.firehose.component", "components.firehose.settings"} <= siem
    # Siem delivers to a stream; it makes no destination role for other accounts.
    assert "components.firehose.destination" not in siem
    assert not any(m.startswith("components.firehose") for m in prod)


def test_public_names_resolve_lazily() -> None:
    code = (
        "import sys, components\n"
        "assert 'components.monitoring.component' not in sys.modules\n"
        "from components import FlowLogMonitoring, VpcFlowLogs\n"
        "assert FlowLogMonitoring.__module__ == 'components.monitoring.component'\n"
        "assert 'components.storage.s3_delivery' not in sys.modules\n"
        "assert set(components.__all__) <= set(dir(components))\n"
        "try:\n    components.NoSuchName\nexcept AttributeError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout == "module 'components' has no attribute 'NoSuchName'\n"


def test_only_an_archive_or_a_member_loads_the_archive() -> None:
    archive = loaded_modules("archive")
    member = loaded_modules("member")

    assert {"components.archive.settings", "components.archive.documents"} <= archive
    assert "components.archive.member" in member
    assert "components.archive.organization" not in archive | member
