"""Search across plans, tasks and agencies, with or without Vietnamese diacritics, limited to
what the user may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from common.text import fold
from plans.models import Agency
from search.services import fold_match, search
from tests.conftest import page_text

pytestmark = pytest.mark.django_db


def test_runs_on_postgresql_with_the_extensions():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        names = {row[0] for row in cursor.fetchall()}
    assert {"unaccent", "pg_trgm"} <= names


def test_so_cong_thuong_finds_the_agency(reviewer):
    results = search(user=reviewer, query="so cong thuong")
    assert "Sở Công Thương" in [a.name for a in results.agencies]


def test_a_mistyped_word_still_finds_the_nearest_spelling(reviewer):
    assert search(user=reviewer, query="so cong thuong").agencies  # exact words first
    near = [a.name for a in search(user=reviewer, query="so cong thuonh").agencies]
    assert near and near[0] == "Sở Công Thương"
    assert search(user=reviewer, query="xyzw qqq").agencies == []


def test_dak_lak_without_marks_finds_dak_lak(reviewer):
    names = {a.name for a in search(user=reviewer, query="dak lak").agencies}
    assert any("Đắk Lắk" in name for name in names)
    with_marks = {a.name for a in search(user=reviewer, query="Đắk Lắk").agencies}
    assert names == with_marks


def test_tasks_and_plans_are_found_by_words_without_accents(officer, seed_plan):
    results = search(user=officer, query="nghi quyet 124")
    assert seed_plan in results.plans
    task = seed_plan.tasks.order_by("position").first()
    words = " ".join(fold(task.content).split()[:3])
    assert task in search(user=officer, query=words).tasks


def test_an_officer_finds_no_agency_pages(officer):
    assert search(user=officer, query="so cong thuong").agencies == []


def test_a_query_of_one_letter_finds_nothing(reviewer):
    assert search(user=reviewer, query="s").count == 0


def test_the_fold_matches_what_postgresql_unaccent_does(seed_plan):
    for agency in Agency.objects.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT lower(unaccent(%s))", [agency.name])
            assert cursor.fetchone()[0] == fold(agency.name)


def test_the_page_lists_results_with_links(client, reviewer, seed_plan):
    client.force_login(reviewer)
    html = page_text(client.get(reverse("search:search"), {"q": "so cong thuong"}))
    sct = Agency.objects.get(name="Sở Công Thương")
    assert f'href="{reverse("organisation:agency", args=[sct.pk])}"' in html
    assert 'id="nav-search"' in html


def test_the_search_needs_a_sign_in(client):
    response = client.get(reverse("search:search"), {"q": "so"})
    assert response.status_code == 302


def test_the_sqlite_fallback_folds_in_python(seed_plan):
    found = fold_match(Agency.objects.order_by("name"), ("name",), fold("Sở CÔNG thương").split())
    assert [a.name for a in found] == ["Sở Công Thương"]
    assert any("Đắk Lắk" in a.name for a in fold_match(Agency.objects.all(), ("name",), ["dak"]))
