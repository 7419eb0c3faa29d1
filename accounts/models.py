from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Agency, Plan
from provinces.scope import ProvinceScopedManager

from .names import full_name, sort_key


class PortalUserManager(ProvinceScopedManager, UserManager):
    """Scoped like the agencies: a request sees the people of its provinces' agencies (and
    those of no agency). Sign-in and the session's own user are looked up before the scope."""

    province_path = "agency__province"

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`createsuperuser` (with --noinput and DJANGO_SUPERUSER_* too) makes the portal's
        administrator: without the role, the account would be listed as an agency officer."""
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A portal user: an agency's officer or head, a focal-point reviewer, leadership, or admin."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("Agency officer")
        HEAD = "head", _("Agency head")
        REVIEWER = "reviewer", _("Focal-point reviewer")
        LEADERSHIP = "leadership", _("Leadership")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("agency"),
    )
    provinces = models.ManyToManyField(
        "provinces.Province",
        blank=True,
        related_name="users",
        verbose_name=_("further provinces"),
        help_text=_(
            "Provinces this person also works for, besides their agency's (e.g. an "
            "administrator serving two). Empty for most people."
        ),
    )
    # Derived from the name on every save (accounts/names.py), so the database can list users
    # the Vietnamese way: by given name, then family and middle names.
    name_sort_key = models.CharField(max_length=1200, editable=False, default="", db_index=True)

    objects = PortalUserManager()

    NAME_FIELDS = frozenset({"first_name", "last_name", "username"})

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name_sort_key", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Family name first, as Vietnamese names are written: "Nguyễn Văn Bình"
        (last_name is Họ, "Nguyễn Văn"; first_name is Tên, "Bình")."""
        return full_name(self.last_name, self.first_name)

    def save(self, *args, **kwargs) -> None:
        self.name_sort_key = sort_key(str(self))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_sort_key"}
        super().save(*args, **kwargs)

    @property
    def is_agency_user(self) -> bool:
        return self.role in (self.Role.OFFICER, self.Role.HEAD) and self.agency_id is not None

    @property
    def is_leadership(self) -> bool:
        return self.role == self.Role.LEADERSHIP

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    def is_focal_for(self, plan: Plan) -> bool:
        """Reviewers of the plan's focal-point agency (Sở Công Thương for the seed plan)."""
        if self.is_admin:
            return True
        return self.role == self.Role.REVIEWER and self.agency_id == plan.focal_agency_id

    @property
    def is_reviewer(self) -> bool:
        return self.role == self.Role.REVIEWER or self.is_admin
