"""A member stack's archive, under mocks: the archive's outputs for the member's StackReference.

A member (``archiveStack: <organization>/<project>/<stack>``) reads its archive's outputs. Offline,
the archive is the committed ``Pulumi.<stack>.yaml`` of the same project: it is run under mocks as
``pulumi up`` would (its outputs are known, as a deployed archive's are), and the member's fake
account serves them. The member runs as the archive's first listed account, so that it is a
member the archive admits.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from offline.fake_aws import FakeAws
from offline.mocks import run_program
from offline.stack_config import StackConfig, load_stack_config


def with_archive(project_dir: Path, config: StackConfig, aws: FakeAws) -> FakeAws:
    """``aws`` as a member of the archive ``config`` names, or ``aws`` itself for any other
    stack."""
    reference = config.get(f"{config.project}:archiveStack")
    if not reference:
        return aws
    archive_config = load_stack_config(project_dir, reference.rsplit("/", 1)[-1])
    home = archive_config.get("aws:region") or aws.region
    run = run_program(
        project_dir,
        archive_config.values,
        FakeAws(region=home),
        project=archive_config.project,
        stack=archive_config.stack,
    )
    outputs = run.stack_outputs
    member = next(a for a in outputs["archiveAccounts"] if a != FakeAws.account_id)
    return replace(aws, account_id=member, stacks={**aws.stacks, reference: outputs})
