"""The offline check on the archive and its member: the member's StackReference is served the
committed archive's outputs, and both pass the pack with no mandatory violation."""

from __future__ import annotations

import io

import pytest

from offline.check import check


@pytest.mark.parametrize("stack", ["archive", "member"])
@pytest.mark.parametrize("preview", [False, True])
def test_the_archive_and_its_member_pass(stack: str, preview: bool) -> None:
    out = io.StringIO()
    status = check(stack, preview=preview, out=out)
    text = out.getvalue()

    assert status == 0, text
    assert "\n0 mandatory violation(s)" in text
    assert "  pass      vpc-flow-log-archive-access\n" in text


def test_the_member_delivers_into_the_archive_and_creates_no_bucket() -> None:
    out = io.StringIO()
    check("member", out=out)
    text = out.getvalue()

    assert "  + aws:ec2/flowLog:FlowLog  vpc-flow-logs-s3-vpc-" in text
    assert "aws:s3/bucket:Bucket" not in text
    assert "delivers to bucket 'vpc-flow-logs-s3-archive-123456789012-us-east-1'" in text
