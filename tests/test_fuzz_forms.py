"""Every form, fed by hypothesis: Vietnamese text, very long strings, both number formats, control
characters, wrong types. No answer is a server error, and nothing is ever partly written: a
request either changes nothing or stores exactly what was sent.

What "exactly what was sent" means for text: the value with its control characters removed
(vertical tab and form feed, which Word and PDF pastes carry, become line breaks; tab, CR and LF
stay) and its ends stripped, as `common.fields.plain_text` and Django's CharField do it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from common.fields import plain_text
from reports.models import Contribution, Evidence, Round, Submission, TargetReport, TaskReport
from tasks.models import Task
from tests.conftest import fill_submission
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("before_due", "media_root")

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree; found bugs stay as tests below
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies ------------------------------------------------------------------------------

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ĂÂĐÊÔƠƯÀÁẢÃẠỀẾỂỄỆỒỐỔỖỘỜỚỞỠỢỨỪỬỮỰ"
    "\u0300\u0301\u0303\u0309\u0323"  # combining tone marks (NFD input from some keyboards)
)
CONTROL = "".join(chr(c) for c in range(0x20)) + "\x7f"
PUNCTUATION = " \n\r\t,.;:-–—“”'\"<>&%#{}()[]/\\\u00a0\u2028\u2029\ufeff\u200b"
ALPHABET = st.one_of(
    st.sampled_from(VIETNAMESE + CONTROL + PUNCTUATION + "0123456789"),
    st.characters(exclude_categories=("Cs",)),
)
short_text = st.text(ALPHABET, max_size=200)
long_text = st.builds(
    lambda chunk, size: (chunk * (size // len(chunk) + 1))[:size],
    st.text(ALPHABET, min_size=1, max_size=40),
    st.integers(1_000, 100_000),
)
vi_text = st.one_of(short_text, short_text, short_text, long_text)


def _vn(value: Decimal) -> str:
    """1234.5 → '1.234,5' (dots for thousands, a decimal comma)."""
    return f"{value:,}".replace(",", "\0").replace(".", ",").replace("\0", ".")


decimals = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=3, allow_nan=False
)
numbers = st.one_of(
    decimals.map(_vn),  # 1.234,5
    decimals.map(lambda d: f"{d:,}"),  # 1,234.5
    decimals.map(lambda d: str(d).replace(".", ",")),  # 37,4
    decimals.map(str),  # 37.4
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(
        ["37,4", "1.234,5", "1,234.5", "37.4%", "1e5", "NaN", "Infinity", "--1", "١٢", "１２"]
        + [" 60 ", "60%", "60,0", "100.000", "0,0001", "1.2.3", ",", ".", "-", "9" * 5000]
    ),
    short_text,
)
percents = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.integers(0, 100).map(lambda n: f"{n},0"),
    numbers,
)
dates = st.one_of(
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(["31/02/2026", "00/00/0000", "5/12/2026", "05-12-2026", "2026", "hôm nay"]),
    short_text,
)
wrong_types = st.one_of(
    st.lists(st.text(ALPHABET, max_size=30), max_size=3),
    st.integers(-(10**40), 10**40),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.booleans(),
    st.floats(),
)
MISSING = object()


def field(strategy):
    """A field as a client might send it: the expected kind, the wrong kind, or not at all."""
    return st.one_of(strategy, strategy, strategy, wrong_types, st.just(MISSING))


def payload(values: dict) -> dict:
    return {key: value for key, value in values.items() if value is not MISSING}


def as_received(value) -> str:
    """What a text field's form sees: the last value sent for the name, as a string."""
    if value is MISSING:
        return ""
    if isinstance(value, list | tuple | dict):
        items = list(value)
        return str(items[-1]) if items else ""
    return str(value)


def expected_text(value) -> str:
    return plain_text(as_received(value)).strip()


# --- the submission form -------------------------------------------------------------------------


@pytest.fixture
def reporting(round_2026):
    """A submission with target rows (agency reporting targets) and its officer, signed in."""
    submission = (
        Submission.objects.filter(round=round_2026, target_reports__isnull=False).distinct().first()
    )
    officer = UserFactory(username="fuzz.cv", officer=True, agency=submission.agency)
    client = Client()
    client.force_login(officer)
    return submission, client


def snapshot(submission: Submission):
    s = Submission.objects.get(pk=submission.pk)
    return (
        (s.version, s.state, s.overall_assessment, s.difficulties, s.proposals),
        (s.document_number, s.document_date, s.document_file.name),
        list(
            TaskReport.objects.filter(submission=s)
            .order_by("pk")
            .values_list("state", "progress", "completed_on", "results", "difficulties")
        ),
        list(
            TargetReport.objects.filter(submission=s)
            .order_by("pk")
            .values_list("actual", "source", "note")
        ),
        Evidence.objects.filter(submission=s).count(),
        Submission.history.filter(id=s.pk).count(),
        TaskReport.history.filter(submission_id=s.pk).count(),
        TargetReport.history.filter(submission_id=s.pk).count(),
    )


task_row = st.fixed_dictionaries(
    {
        "state": field(
            st.sampled_from(["", "not_started", "in_progress", "done", "xx", "DONE", "done\x00"])
        ),
        "progress": field(percents),
        "completed_on": field(dates),
        "results": field(vi_text),
        "difficulties": field(vi_text),
    }
)
target_row = st.fixed_dictionaries(
    {"actual": field(numbers), "source": field(vi_text), "note": field(vi_text)}
)
main_form = st.fixed_dictionaries(
    {
        "overall_assessment": field(vi_text),
        "difficulties": field(vi_text),
        "proposals": field(vi_text),
        "document_number": field(st.one_of(short_text, st.just("12/BC-STC"))),
        "document_date": field(dates),
        "action": st.sampled_from(["save", "save", "submit", "", "xóa", MISSING]),
        "version": st.sampled_from(["current", "current", "current", "stale", "-1", "1e3", "x"]),
    }
)


def _date_text(lo: dt.date, hi: dt.date):
    return st.dates(lo, hi).map(lambda d: d.strftime("%d/%m/%Y"))


# Forms a person could send: any text, numbers in either format, real dates.
valid_main = st.fixed_dictionaries(
    {
        "overall_assessment": vi_text,
        "difficulties": vi_text,
        "proposals": vi_text,
        "document_number": st.text(ALPHABET, max_size=50),
        "document_date": st.one_of(
            st.just(""), _date_text(dt.date(2000, 1, 1), dt.date(2026, 12, 5))
        ),
        "action": st.sampled_from(["save", "save", "submit"]),
        "version": st.just("current"),
    }
)
valid_task = st.one_of(
    st.fixed_dictionaries(
        {
            "state": st.sampled_from(["in_progress", "not_started", ""]),
            "progress": st.just(""),
            "completed_on": st.just(""),
            "results": vi_text,
            "difficulties": vi_text,
        }
    ),
    st.fixed_dictionaries(
        {
            "state": st.just("in_progress"),
            "progress": st.one_of(st.integers(0, 100).map(str), st.just("60%"), st.just("60,0")),
            "completed_on": st.just(""),
            "results": vi_text,
            "difficulties": vi_text,
        }
    ),
    st.fixed_dictionaries(
        {
            "state": st.just("done"),
            "progress": st.just(""),
            "completed_on": _date_text(dt.date(2021, 1, 1), dt.date(2026, 12, 5)),
            "results": vi_text,
            "difficulties": vi_text,
        }
    ),
)
small_decimals = st.decimals(
    min_value=Decimal("-1e10"), max_value=Decimal("1e10"), places=3, allow_nan=False
)
valid_target = st.fixed_dictionaries(
    {
        "actual": st.one_of(
            st.just(""),
            small_decimals.map(_vn),
            small_decimals.map(lambda d: f"{d:,}"),
            small_decimals.map(lambda d: str(d).replace(".", ",")),
        ),
        "source": st.text(ALPHABET, max_size=255),
        "note": vi_text,
    }
)


@FUZZ
@given(
    form=st.one_of(
        st.tuples(valid_main, valid_task, valid_target),
        st.tuples(main_form, task_row, target_row),
    ),
    data=st.data(),
)
def test_the_submission_form(reporting, form, data):
    main, task, target = form
    submission, client = reporting
    before = snapshot(submission)
    version = before[0][0]
    reports = list(submission.task_reports.order_by("pk"))
    targets = list(submission.target_reports.order_by("pk"))
    fuzzed_task = data.draw(st.sampled_from(reports))
    fuzzed_target = data.draw(st.sampled_from(targets))

    values = dict(main)
    values["version"] = {"current": str(version), "stale": str(max(version - 1, 0) or 99)}.get(
        main["version"], main["version"]
    )
    for report in reports:  # the other rows as the page shows them
        for name in ("state", "progress", "completed_on", "results", "difficulties"):
            values[f"task-{report.pk}-{name}"] = ""
        values[f"task-{report.pk}-state"] = "in_progress"
        values[f"task-{report.pk}-results"] = "Đang triển khai"
    for name, value in task.items():
        values[f"task-{fuzzed_task.pk}-{name}"] = value
    for name, value in target.items():
        values[f"target-{fuzzed_target.pk}-{name}"] = value

    response = client.post(reverse("reports:submission", args=[submission.pk]), payload(values))
    assert response.status_code < 500
    after = snapshot(submission)
    event(f"status {response.status_code}, {'unchanged' if after == before else 'saved'}")
    if after == before:
        return
    # Something was written: then all of it, exactly as sent.
    saved = Submission.objects.get(pk=submission.pk)
    assert saved.version in (version + 1, version + 2)
    assert str(version) == as_received(values["version"]).strip()
    assert saved.overall_assessment == expected_text(main["overall_assessment"])
    assert saved.difficulties == expected_text(main["difficulties"])
    assert saved.proposals == expected_text(main["proposals"])
    report = TaskReport.objects.get(pk=fuzzed_task.pk)
    assert report.results == expected_text(task["results"])
    assert report.difficulties == expected_text(task["difficulties"])
    assert report.progress is None or 0 <= report.progress <= 100
    row = TargetReport.objects.get(pk=fuzzed_target.pk)
    assert row.source == expected_text(target["source"])
    assert row.note == expected_text(target["note"])
    if saved.is_submitted:  # let the next example edit again
        Submission.objects.filter(pk=saved.pk).update(state=Submission.State.DRAFT)


# --- the round-open form -------------------------------------------------------------------------


chaos_round = st.fixed_dictionaries(
    {
        "kind": field(st.sampled_from(["annual", "ad_hoc", "other", ""])),
        "year": field(st.one_of(st.integers(1990, 2110).map(str), numbers)),
        "title": field(vi_text),
        "due_on": field(dates),
        "period_start": field(dates),
        "period_end": field(dates),
        "instructions": field(vi_text),
        "plan": st.sampled_from(["seed", "seed", "0", "-1", "x", "9" * 30]),
        "scope": st.one_of(st.just("none"), st.just("some"), wrong_types),
    }
)
some_date = st.one_of(st.just(""), _date_text(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
valid_round = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["ad_hoc", "ad_hoc", "annual"]),
        "year": st.integers(2000, 2100).map(str),
        "title": st.text(ALPHABET, max_size=255),
        "due_on": _date_text(dt.date(2000, 1, 1), dt.date(2100, 12, 31)),
        "period_start": some_date,
        "period_end": some_date,
        "instructions": vi_text,
        "plan": st.just("seed"),
        "scope": st.sampled_from(["none", "some"]),
    }
)


@FUZZ
@given(form=st.one_of(valid_round, chaos_round))
def test_the_round_open_form(client, seed_plan, reviewer, form):
    kind, year, title, due_on = form["kind"], form["year"], form["title"], form["due_on"]
    period_start, period_end, instructions = (
        form["period_start"],
        form["period_end"],
        form["instructions"],
    )
    plan, scope = form["plan"], form["scope"]
    client.force_login(reviewer)
    rounds, submissions = Round.objects.count(), Submission.objects.count()
    task_ids = list(Task.objects.filter(plan=seed_plan).values_list("pk", flat=True)[:3])
    values = {
        "plan": str(seed_plan.pk) if plan == "seed" else plan,
        "kind": kind,
        "year": year,
        "title": title,
        "due_on": due_on,
        "period_start": period_start,
        "period_end": period_end,
        "instructions": instructions,
        "scope": {"none": MISSING, "some": [str(pk) for pk in task_ids]}.get(scope, scope)
        if isinstance(scope, str)
        else scope,
    }
    response = client.post(reverse("reports:round_open"), payload(values))
    assert response.status_code < 500
    event(f"status {response.status_code}")
    if response.status_code != 302:
        assert (Round.objects.count(), Submission.objects.count()) == (rounds, submissions)
        return
    assert Round.objects.count() == rounds + 1
    round_ = Round.objects.order_by("-pk").first()
    assert round_.period_start <= round_.period_end
    if expected_text(title):
        assert round_.title == expected_text(title)
    assert round_.instructions == expected_text(instructions)
    assert round_.submissions.exists()


def test_a_period_that_starts_after_the_default_cut_off_is_refused(client, seed_plan, reviewer):
    """Found by the fuzzing: only the start given, after 14/12 of the year, was a server error
    (the database's period-in-order constraint) instead of a form error."""
    client.force_login(reviewer)
    values = {"plan": seed_plan.pk, "kind": "ad_hoc", "year": "2026", "due_on": "20/12/2026"}
    response = client.post(reverse("reports:round_open"), values | {"period_start": "01/01/2027"})
    assert response.status_code == 200
    assert response.context["form"].errors["period_start"]
    assert not Round.objects.exists()


def test_control_characters_are_dropped_and_pasted_breaks_kept(client, submission, officer):
    """Found by the fuzzing: control characters were stored as typed, and the Word and Excel
    writers refuse them, so one pasted character broke the consolidated report."""
    client.force_login(officer)
    report = submission.task_reports.first()
    data = {
        "version": "0",
        "overall_assessment": "Dòng 1\x0bDòng 2\x0cTrang 2\x00\x01\x1f\x7f kết thúc\t.",
        f"task-{report.pk}-state": "in_progress",
        f"task-{report.pk}-results": "\x02Kết quả\r\nđạt\x1b",
    }
    response = client.post(reverse("reports:submission", args=[submission.pk]), data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.overall_assessment == "Dòng 1\nDòng 2\nTrang 2 kết thúc\t."
    assert TaskReport.objects.get(pk=report.pk).results == "Kết quả\r\nđạt"


# --- return and reopen ---------------------------------------------------------------------------


@pytest.fixture
def submitted(submission, officer, head):
    fill_submission(submission, officer)
    from reports import services

    return services.submission_submit(submission=submission, user=head)


# The reviewer's comment is also the history record's "reason" (a text field, so any length).
comment_text = short_text


@FUZZ
@given(comment=field(comment_text), task_comment=field(vi_text), junk=field(vi_text))
def test_the_return_form(client, submitted, reviewer, comment, task_comment, junk):
    client.force_login(reviewer)
    report = submitted.task_reports.order_by("pk").first()
    before = Submission.objects.get(pk=submitted.pk)
    values = {"comment": comment, f"comment-{report.pk}": task_comment, "comment-0": junk}
    response = client.post(reverse("reports:return", args=[submitted.pk]), payload(values))
    assert response.status_code == 302
    after = Submission.objects.get(pk=submitted.pk)
    event("returned" if after.state != before.state else "refused")
    if after.state == before.state:
        assert after.version == before.version and after.return_comment == before.return_comment
        assert not TaskReport.objects.filter(submission=after).exclude(review_comment="").exists()
        return
    assert after.state == Submission.State.RETURNED
    assert after.return_comment == expected_text(comment) != ""
    assert TaskReport.objects.get(pk=report.pk).review_comment == expected_text(task_comment)
    Submission.objects.filter(pk=after.pk).update(state=Submission.State.SUBMITTED)
    TaskReport.objects.filter(submission=after).update(review_comment="")


@FUZZ
@given(reason=field(comment_text))
def test_the_reopen_form(client, submitted, reviewer, reason):
    Submission.objects.filter(pk=submitted.pk).update(state=Submission.State.ACCEPTED)
    client.force_login(reviewer)
    before = Submission.objects.get(pk=submitted.pk)
    response = client.post(
        reverse("reports:reopen", args=[submitted.pk]), payload({"reason": reason})
    )
    assert response.status_code == 302
    after = Submission.objects.get(pk=submitted.pk)
    event("reopened" if after.state != before.state else "refused")
    if after.state == before.state:
        assert after.version == before.version and after.return_comment == before.return_comment
        return
    assert after.state == Submission.State.RETURNED
    assert after.return_comment == expected_text(reason) != ""


@pytest.mark.parametrize("step", ["return", "reopen"])
def test_a_long_comment_is_not_a_server_error(client, submitted, reviewer, step):
    if step == "reopen":
        Submission.objects.filter(pk=submitted.pk).update(state=Submission.State.ACCEPTED)
    client.raise_request_exception = False
    client.force_login(reviewer)
    text = "Đề nghị bổ sung số liệu và tài liệu kiểm chứng cho từng nhiệm vụ. " * 3
    response = client.post(
        reverse(f"reports:{step}", args=[submitted.pk]), {"comment": text, "reason": text}
    )
    assert response.status_code == 302
    assert Submission.objects.get(pk=submitted.pk).return_comment == text.strip()


# --- the coordinator's contribution --------------------------------------------------------------


@FUZZ
@given(text=field(vi_text))
def test_the_contribution_form(client, round_2026, seed_plan, other_agency, other_officer, text):
    task = Task.objects.get(plan=seed_plan, code="IV.2.3")
    task.coordinators.add(other_agency)
    client.force_login(other_officer)
    before = list(Contribution.objects.values_list("pk", "text"))
    url = reverse("reports:contribution", args=[round_2026.pk, task.pk])
    response = client.post(url, payload({"text": text}))
    assert response.status_code == 302
    after = list(Contribution.objects.values_list("pk", "text"))
    event("saved" if after != before else "refused")
    if after != before:
        assert len(after) == 1 and after[0][1] == expected_text(text) != ""


# --- signing in ----------------------------------------------------------------------------------


@FUZZ
@given(
    username=field(st.one_of(vi_text, st.just("stc.cv"))),
    password=field(st.one_of(vi_text, st.just("sai"))),
    next_url=field(st.one_of(short_text, st.just("//evil.example/"), st.just("/reports/"))),
    agent=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=500),
)
def test_the_login_form(client, officer, username, password, next_url, agent):
    url = reverse("login")
    values = {"username": username, "password": password, "next": next_url}
    response = client.post(url, payload(values), HTTP_USER_AGENT=agent)
    assert response.status_code in (200, 429)
    event(f"status {response.status_code}")
    assert "_auth_user_id" not in client.session
    # The right password still works from another address, whatever was tried before.
    other = Client(REMOTE_ADDR="192.0.2.250")
    assert other.post(url, {"username": "stc.cv", "password": "pw"}).status_code == 302
