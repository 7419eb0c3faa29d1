"""Vietnamese names: written family name first, sorted by the given name (accounts/names.py)."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from accounts.models import User
from accounts.names import sort_key, split_full_name

NAMES = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Bình"]


def make(username: str, name: str) -> User:
    family, given = split_full_name(name)
    return User.objects.create_user(username=username, last_name=family, first_name=given)


def test_the_last_word_is_the_given_name():
    assert split_full_name("  Nguyễn   Văn Bình ") == ("Nguyễn Văn", "Bình")
    assert split_full_name("Bình") == ("", "Bình")
    assert split_full_name("") == ("", "")


def test_names_sort_by_given_name_then_family_and_middle_names():
    assert sorted(NAMES, key=sort_key) == ["Trần Thị An", "Lê Bình", "Nguyễn Văn Bình"]


def test_letters_follow_the_vietnamese_alphabet_and_tones_only_break_ties():
    names = ["Lê Ánh", "Vũ Đạt", "Lê Anh", "Phạm Duy", "Hoàng Ân", "Lê Ăn", "Trần Em"]
    assert sorted(names, key=sort_key) == [
        "Lê Anh",
        "Lê Ánh",
        "Lê Ăn",
        "Hoàng Ân",
        "Phạm Duy",
        "Vũ Đạt",  # đ comes after d, not after z as in Unicode order
        "Trần Em",
    ]


@pytest.mark.django_db
def test_a_user_shows_family_name_first():
    user = make("binh", "Nguyễn Văn Bình")
    assert (user.last_name, user.first_name) == ("Nguyễn Văn", "Bình")
    assert user.get_full_name() == "Nguyễn Văn Bình"
    assert str(user) == "Nguyễn Văn Bình"
    assert user.get_short_name() == "Bình"


@pytest.mark.django_db
def test_a_user_without_a_name_shows_the_username():
    assert str(User.objects.create_user(username="admin2")) == "admin2"


@pytest.mark.django_db
def test_the_database_lists_users_the_vietnamese_way():
    for i, name in enumerate(NAMES):
        make(f"u{i}", name)
    assert [str(u) for u in User.objects.all()] == ["Trần Thị An", "Lê Bình", "Nguyễn Văn Bình"]


@pytest.mark.django_db
def test_renaming_with_update_fields_keeps_the_sort_key():
    an, binh = make("an", "Trần Thị An"), make("binh", "Lê Bình")
    an.first_name = "Yến"
    an.save(update_fields=["first_name"])
    assert [u.username for u in User.objects.all()] == [binh.username, an.username]


@pytest.mark.django_db
def test_the_admin_list_shows_the_name_family_first(admin_user):
    make("binh", "Nguyễn Văn Bình")
    request = RequestFactory().get("/admin/accounts/user/")
    request.user = admin_user
    model_admin = site._registry[User]
    assert "get_full_name" not in model_admin.get_list_display(request)
    changelist = model_admin.get_changelist_instance(request)
    names = [model_admin.full_name(user) for user in changelist.get_queryset(request)]
    assert "Nguyễn Văn Bình" in names


@pytest.mark.django_db
def test_the_admin_form_asks_the_family_name_before_the_given_name(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    fields = [
        f
        for _title, opts in site._registry[User].get_fieldsets(request, admin_user)
        for f in opts["fields"]
    ]
    assert fields.index("last_name") < fields.index("first_name")
