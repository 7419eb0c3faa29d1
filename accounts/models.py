from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import Agency, Plan


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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

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
