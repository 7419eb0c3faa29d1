"""Flags: what a person must check before a proposal is imported.

A flag names the item (a path such as "tasks[IV.1.2].lead"), says what is uncertain, and points
at the source lines. Messages are English source strings marked for translation; `text(lang)`
renders them in the reader's language, so the review screen and the command show them the
same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext


@dataclass
class Flag:
    path: str
    template: str
    params: dict = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def text(self, language: str | None = None) -> str:
        with translation.override(language or translation.get_language()):
            return gettext(self.template) % self.params

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "message_vi": self.text("vi"),
            "message_en": self.text("en"),
            "sources": self.sources,
        }
