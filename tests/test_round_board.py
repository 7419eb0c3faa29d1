"""The round board (reports:round) and its export: filters and sort order from the query string."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from plans.models import Agency
from reports.models import Submission
from tests.factories import TZ, UserFactory

# SCT, STC, SKHCN, SNV, SNNMT, BQLKKT owe a report in the seed plan's 2026 round (due 10/12).
ON_TIME = {"STC": dt.datetime(2026, 12, 10, 23, 30, tzinfo=TZ)}  # the last minutes of the due day
LATE = {
    "SKHCN": dt.datetime(2026, 12, 11, 0, 10, tzinfo=TZ),
    "SNV": dt.datetime(2026, 12, 12, 8, tzinfo=TZ),
}


@pytest.fixture
def board(client, reviewer, round_2026):
    for abbreviation, moment in (ON_TIME | LATE).items():
        Submission.objects.filter(round=round_2026, agency__abbreviation=abbreviation).update(
            state="submitted", first_submitted_at=moment, submitted_at=moment
        )
    client.force_login(reviewer)
    url = reverse("reports:round", args=[round_2026.pk])
    export = reverse("reports:round_export", args=[round_2026.pk])

    def get(when=dt.datetime(2026, 12, 14, 9, tzinfo=TZ), **params):
        with time_machine.travel(when, tick=False):
            return client.get(url, params)

    def xlsx(**params):
        with time_machine.travel(dt.datetime(2026, 12, 14, 9, tzinfo=TZ), tick=False):
            response = client.get(export, params)
        if response.status_code != 200:
            return response
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)]

    get.xlsx = xlsx
    return get


def abbreviations(response) -> list[str]:
    return [s.agency.abbreviation for s in response.context["submissions"]]


@pytest.mark.parametrize(
    "timeliness,expected",
    [
        ("on_time", ["STC"]),
        ("late", ["SKHCN", "SNV"]),
        ("missing", ["BQLKKT", "SCT", "SGDĐT", "SNNMT", "XAPY"]),
    ],
)
def test_timeliness_is_judged_on_the_due_day_in_ha_noi(board, timeliness, expected):
    response = board(timeliness=timeliness)
    assert sorted(abbreviations(response)) == expected
    today = dt.date(2026, 12, 14)
    assert {s.timeliness(today) for s in response.context["submissions"]} == {timeliness}


def test_before_the_due_date_the_unsubmitted_are_pending_not_missing(board):
    before = dt.datetime(2026, 12, 5, 9, tzinfo=TZ)
    assert sorted(abbreviations(board(before, timeliness="pending"))) == [
        "BQLKKT",
        "SCT",
        "SGDĐT",
        "SNNMT",
        "XAPY",
    ]
    assert abbreviations(board(before, timeliness="missing")) == []


def test_the_sort_orders(board):
    by_agency = [s.agency.name for s in board().context["submissions"]]
    assert by_agency == sorted(by_agency)
    submitted = abbreviations(board(sort="submitted"))
    assert submitted[:3] == ["STC", "SKHCN", "SNV"]  # first submitted first, the rest after
    states = [s.state for s in board(sort="state").context["submissions"]]
    assert states == sorted(states)


def test_the_filters_combine_and_the_export_has_the_same_rows(board):
    response = board(state="submitted", timeliness="late", sort="submitted")
    assert abbreviations(response) == ["SKHCN", "SNV"]
    names = [s.agency.name for s in response.context["submissions"]]
    assert board.xlsx(state="submitted", timeliness="late", sort="submitted") == names


def test_the_form_shows_the_choices_and_what_is_chosen(board):
    page = board(state="submitted", sort="state").content.decode()
    assert '<option value="submitted" selected>' in page
    assert '<option value="state" selected>' in page
    for value in ("on_time", "late", "missing", "pending"):
        assert f'<option value="{value}">' in page
    assert 'id="f-state"' in page and 'id="f-time"' in page and 'id="f-sort"' in page


def test_a_value_it_does_not_offer_is_reported_not_silently_ignored(board):
    response = board(state="sent", timeliness="late")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="board-errors"' in page and "sent" in page
    assert abbreviations(response) == ["SKHCN", "SNV"]  # the filters it understood still apply
    export_link = reverse("reports:round_export", args=[response.context["round"].pk])
    assert f'href="{export_link}?timeliness=late"' in page  # the export link drops the bad one

    refused = board.xlsx(state="sent")
    assert refused.status_code == 400 and "sent" in refused.content.decode()


def test_without_filters_there_is_no_error(board):
    assert 'id="board-errors"' not in board().content.decode()
    assert len(board.xlsx()) == 8  # the eight agencies the 2026 round asks


def test_an_agency_without_users_is_flagged_on_its_row(board, officer, seed_plan):
    """STC has an officer; an agency with only a deactivated user, or nobody, says so at once
    (its reminders go to the focal point; tests/test_reminders_service.py)."""
    UserFactory(officer=True, agency=Agency.objects.get(abbreviation="SNV"), is_active=False)
    response = board()
    flagged = {s.agency.abbreviation for s in response.context["submissions"] if not s.has_users}
    assert "STC" not in flagged and {"SNV", "SCT", "SGDĐT"} <= flagged
    html = " ".join(response.content.decode().split())
    stc = html.split("<td>Sở Tài chính", 1)[1].split("</tr>", 1)[0]
    assert "Chưa có người dùng" not in stc
    snv = html.split("<td>Sở Nội vụ", 1)[1].split("</tr>", 1)[0]
    assert 'no-users"' in snv and "Chưa có người dùng</span>" in snv
    assert User.objects.filter(agency__abbreviation="SCT", role="reviewer").exists()  # not staff
