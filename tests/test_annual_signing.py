"""Signing the consolidated report in the site: the focal point signs a finished PDF snapshot
with the agency's stored certificate, typing its password (never stored). The signed file is a
snapshot of its own (format pdf, `signed_from`, its own hash), the original bytes untouched."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from annual import services
from annual.models import ReportSnapshot
from reports.services import WorkflowError
from signing.models import SigningCertificate
from signing.services import verify_pdf
from tests.conftest import ANNUAL_TEXT, page_text
from tests.signing_support import P12_PASSWORD, build_pki

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def pki():
    return build_pki()


@pytest.fixture
def certificate(pki, annual_round):
    certificate = SigningCertificate(agency=annual_round.plan.focal_agency)
    certificate.set_pkcs12(pki.p12(), P12_PASSWORD)
    certificate.save()
    return certificate


def _pdf(annual_round, reviewer, capture, **text):
    services.report_save(round_=annual_round, user=reviewer, fields=text)
    report = services.report_get_or_create(round_=annual_round)
    with capture(execute=True):
        snapshot = services.report_generate(report=report, fmt="pdf", user=reviewer)
    snapshot.refresh_from_db()
    return snapshot


def test_the_focal_point_signs_a_finished_pdf_into_a_new_snapshot(
    client, annual_round, reviewer, certificate, pki, django_capture_on_commit_callbacks
):
    original = _pdf(annual_round, reviewer, django_capture_on_commit_callbacks, **ANNUAL_TEXT)
    assert not original.draft and original.signature_place
    before = original.file.open("rb").read()
    client.force_login(reviewer)
    page = page_text(client.get(reverse("annual:report", args=[annual_round.pk])))
    assert reverse("annual:snapshot_sign", args=[original.pk]) in page
    response = client.post(
        reverse("annual:snapshot_sign", args=[original.pk]), {"password": P12_PASSWORD}
    )
    assert response.status_code == 302
    signed = ReportSnapshot.objects.get(signed_from=original)
    data = signed.file.open("rb").read()
    assert signed.format == "pdf" and signed.state == "done" and signed.signed_by == reviewer
    assert signed.sha256 == hashlib.sha256(data).hexdigest() != original.sha256
    assert data.startswith(before)  # the signature is appended: nothing was rebuilt
    assert original.file.open("rb").read() == before
    (check,) = verify_pdf(data, trust_roots=[pki.ca_cert])
    assert check.ok
    assert P12_PASSWORD not in str(list(ReportSnapshot.objects.values()))
    # The signed copy cannot be signed again; the list says it is signed.
    with pytest.raises(WorkflowError):
        services.snapshot_sign(snapshot=signed, user=reviewer, password=P12_PASSWORD)
    page = page_text(client.get(reverse("annual:report", args=[annual_round.pk])))
    assert f"PAdES {signed.signature_level}" in page


def test_a_draft_or_a_wrong_password_is_refused(
    annual_round, reviewer, leader, certificate, django_capture_on_commit_callbacks
):
    draft = _pdf(annual_round, reviewer, django_capture_on_commit_callbacks)
    assert draft.draft
    with pytest.raises(WorkflowError, match="DỰ THẢO"):
        services.snapshot_sign(snapshot=draft, user=reviewer, password=P12_PASSWORD)
    finished = _pdf(annual_round, reviewer, django_capture_on_commit_callbacks, **ANNUAL_TEXT)
    with pytest.raises(WorkflowError, match="password"):
        services.snapshot_sign(snapshot=finished, user=reviewer, password="sai")
    with pytest.raises(PermissionDenied):
        services.snapshot_sign(snapshot=finished, user=leader, password=P12_PASSWORD)
    assert not ReportSnapshot.objects.filter(signed_from__isnull=False).exists()
