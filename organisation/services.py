"""Reorganising the agency map: one dated event, previewed, then applied in one transaction.

`reorganisation_preview` says what an event would move (agencies, tasks, rounds, users, plans)
without writing anything; `reorganisation_record` checks who may, validates, applies exactly what
the preview listed and stores the event with it. History is never rewritten: earlier rounds'
submissions stay with the agency that made them; only rounds due on or after the date, whose
submission nobody has started, move to the successor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from plans.models import Agency
from reports.models import Submission
from tasks.models import Task, TaskSuccessor

from . import access
from .models import Reorganisation

Kind = Reorganisation.Kind
NEEDS_SUCCESSOR = (Kind.MERGE, Kind.SPLIT, Kind.MOVE, Kind.TRANSFER)
ONE_SOURCE = (Kind.SPLIT, Kind.RENAME, Kind.TRANSFER)


@dataclass
class Spec:
    """What the administrator asks for. Which fields count depends on the kind:

    merge: sources → successor; split: source → successor (main) and other_successor for
    `tasks`; rename: source → a new body named new_name; dissolve: sources end, their tasks
    pass to successor if given; move: sources go under successor; transfer: `tasks` of the
    source pass to successor (a function that moved)."""

    kind: str
    effective_on: dt.date
    sources: list[Agency]
    successor: Agency | None = None
    other_successor: Agency | None = None
    tasks: list[Task] = field(default_factory=list)
    new_name: str = ""
    new_short_name: str = ""
    new_abbreviation: str = ""
    legal_basis: str = ""
    note: str = ""


@dataclass(frozen=True)
class Move:
    """One line of the preview: `label` goes from `source` to `destination`."""

    what: str  # agency | task | round | user | plan
    label: str
    source: str
    destination: str

    def as_json(self) -> dict[str, str]:
        return {"what": self.what, "label": self.label, "from": self.source, "to": self.destination}


@dataclass
class Preview:
    spec: Spec
    moves: list[Move] = field(default_factory=list)
    # The writes behind the moves, applied as they are by `reorganisation_record`.
    new_agency: Agency | None = None
    agency_updates: list[tuple[Agency, dict[str, Any]]] = field(default_factory=list)
    # (task, who takes it, the lead whose share passes: None for the first lead)
    task_successors: list[tuple[Task, Agency, Agency | None]] = field(default_factory=list)
    submissions: list[tuple[Submission, Agency]] = field(default_factory=list)
    users: list[tuple[User, Agency]] = field(default_factory=list)

    def of(self, what: str) -> list[Move]:
        return [m for m in self.moves if m.what == what]

    @property
    def groups(self) -> list[tuple[str, list[Move]]]:
        labels = {
            "agency": _("Agencies"),
            "task": _("Tasks"),
            "round": _("Rounds"),
            "user": _("Users"),
            "plan": _("Plans and their documents"),
        }
        return [(labels[w], self.of(w)) for w in labels if self.of(w)]

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.new_agency
            or self.agency_updates
            or self.task_successors
            or self.submissions
            or self.users
        )


def _d(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _validate(spec: Spec) -> None:
    errors: dict[str, str] = {}
    sources = spec.sources
    if not sources:
        errors["sources"] = _("Choose the agency this event is about.")
    elif spec.kind in ONE_SOURCE and len(sources) > 1:
        errors["sources"] = _("This kind of event concerns one agency; choose only one.")
    if spec.kind in NEEDS_SUCCESSOR and spec.successor is None:
        errors["successor"] = _("Choose the agency that takes over.")
    successor = spec.successor
    if successor and successor in sources:
        errors["successor"] = _("An agency cannot take over from itself.")
    if successor and successor.dissolved_on and successor.dissolved_on <= spec.effective_on:
        errors["successor"] = _("%(name)s has ended by then (%(date)s).") % {
            "name": successor.name,
            "date": _d(successor.dissolved_on),
        }
    for source in sources:
        if spec.kind in (Kind.MERGE, Kind.SPLIT, Kind.RENAME) and source.is_group:
            errors["sources"] = _(
                "A group is not succeeded as a whole: record the event for its members, or "
                "dissolve the group and pass its tasks on."
            )
        ended = source.dissolved_on or source.succeeded_on
        if ended and ended < spec.effective_on and spec.kind != Kind.MOVE:
            other = source.succeeded_by
            same = spec.kind == Kind.MERGE and other == successor
            if not same:
                errors["sources"] = _("%(name)s had already ended on %(date)s.") % {
                    "name": source.name,
                    "date": _d(ended),
                }
        if (
            spec.kind in (Kind.MERGE, Kind.SPLIT)
            and source.succeeded_by_id
            and (source.succeeded_by != successor or source.succeeded_on != spec.effective_on)
            and not errors.get("sources")
        ):
            errors["sources"] = _("%(name)s is already succeeded by %(other)s from %(date)s.") % {
                "name": source.name,
                "other": source.succeeded_by.name,
                "date": _d(source.succeeded_on),
            }
    if spec.kind == Kind.SPLIT:
        if spec.other_successor is None:
            errors["other_successor"] = _("Choose the agency that takes the moved tasks.")
        elif spec.other_successor == successor or spec.other_successor in sources:
            errors["other_successor"] = _("Choose another agency than the main successor.")
    if spec.kind in (Kind.SPLIT, Kind.TRANSFER):
        if not spec.tasks:
            errors["tasks"] = _("Choose the tasks that go to the other successor.")
        elif sources:
            before = spec.effective_on - dt.timedelta(days=1)
            foreign = [
                t.code
                for t in spec.tasks
                if sources[0] not in t.leads() and sources[0] not in t.answering_agencies(before)
            ]
            if foreign:
                errors["tasks"] = _("%(name)s does not answer for: %(codes)s.") % {
                    "name": sources[0].name,
                    "codes": ", ".join(foreign),
                }
    if spec.kind == Kind.RENAME:
        if not spec.new_name.strip():
            errors["new_name"] = _("Give the new name.")
        abbreviation = spec.new_abbreviation.strip()
        if not abbreviation:
            errors["new_abbreviation"] = _(
                "Give the abbreviation used in the new name's documents."
            )
        elif Agency.objects.filter(abbreviation__iexact=abbreviation).exists():
            errors["new_abbreviation"] = _("Another agency already uses %(abbr)s.") % {
                "abbr": abbreviation
            }
    if spec.kind == Kind.MOVE and successor:
        parent: Agency | None = successor
        while parent is not None:
            if parent in sources:
                errors["successor"] = _("An agency cannot sit under itself or under its own body.")
                break
            parent = parent.parent
    if errors:
        raise ValidationError(errors)


def _hand_over(preview: Preview, source: Agency, to: Agency, on: dt.date) -> None:
    """What moves when `to` takes over from `source` as a whole: bodies under it, its users,
    the rounds from the date that it has not started, the plans it issued, and its tasks."""
    for child in source.children.exclude(pk=to.pk):
        preview.agency_updates.append((child, {"parent": to}))
        preview.moves.append(Move("agency", child.name, source.name, to.name))
    for user in User.objects.filter(agency=source, is_active=True).order_by("username"):
        preview.users.append((user, to))
        preview.moves.append(
            Move("user", user.get_full_name() or user.username, source.name, to.name)
        )
    _hand_over_rounds(preview, source, to, on)
    for plan in source.issued_plans.all():
        preview.moves.append(
            Move(
                "plan",
                plan.short_title,
                _("documents issued by %(name)s") % {"name": source.name},
                _("documents from %(date)s issued by %(name)s; the plan stays %(old)s's")
                % {"date": _d(on), "name": to.name, "old": source.name},
            )
        )
    passing = {task.pk for task, _agency, _lead in preview.task_successors}
    for task in _led_by(source):
        if task.successor_on(on, source) is None and task.pk not in passing:
            preview.moves.append(Move("task", task.code, source.name, to.name))
    for inherited in TaskSuccessor.objects.filter(agency=source).select_related("task"):
        preview.moves.append(Move("task", inherited.task.code, source.name, to.name))


def _hand_over_rounds(preview: Preview, source: Agency, to: Agency, on: dt.date) -> None:
    owed = Submission.objects.filter(agency=source, round__due_on__gte=on).select_related("round")
    for submission in owed.order_by("round__due_on"):
        round_label = submission.round.title
        started = submission.state != Submission.State.NOT_STARTED or submission.version
        if started:
            preview.moves.append(
                Move("round", round_label, source.name, _("stays: the report is started"))
            )
        elif Submission.objects.filter(round=submission.round, agency=to).exists():
            preview.moves.append(
                Move(
                    "round",
                    round_label,
                    source.name,
                    _("stays: %(name)s already reports") % {"name": to.name},
                )
            )
        else:
            preview.submissions.append((submission, to))
            preview.moves.append(Move("round", round_label, source.name, to.name))


def _led_by(source: Agency) -> list[Task]:
    """Tasks the agency leads, first-named or further: each lead's share moves on its own."""
    return list(
        Task.objects.filter(Q(lead=source) | Q(co_leads=source))
        .distinct()
        .prefetch_related("successors", "co_lead_links__agency")
        .order_by("plan", "position")
    )


def _share_of(task: Task, source: Agency, on: dt.date) -> Agency:
    """The lead whose share of the task `source` holds the day before `on` (default: first)."""
    before = on - dt.timedelta(days=1)
    for lead, agencies in task.answering_agencies_by_lead(before):
        if lead == source or source in agencies:
            return lead
    return task.lead


def _pass_tasks(
    preview: Preview, tasks: list[Task], to: Agency, on: dt.date, source: Agency
) -> None:
    for task in tasks:
        lead = _share_of(task, source, on)
        replaces = None if lead.pk == task.lead_id else lead
        current = next(
            (
                s
                for s in task.successors.all()
                if s.since == on and (s.replaces_id or task.lead_id) == lead.pk
            ),
            None,
        )
        if current is None or current.agency_id != to.pk:
            preview.task_successors.append((task, to, replaces))
            preview.moves.append(Move("task", task.code, source.name, to.name))


def _succeed(preview: Preview, source: Agency, to: Agency, on: dt.date) -> None:
    if source.succeeded_by_id != to.pk or source.succeeded_on != on:
        preview.agency_updates.append((source, {"succeeded_by": to, "succeeded_on": on}))
        preview.moves.append(
            Move(
                "agency",
                source.name,
                source.name,
                _("%(name)s from %(date)s") % {"name": to.name, "date": _d(on)},
            )
        )
    _hand_over(preview, source, to, on)


def reorganisation_preview(spec: Spec) -> Preview:
    """What the event would move; writes nothing. Raises ValidationError on a bad request."""
    _validate(spec)
    preview = Preview(spec=spec)
    on = spec.effective_on
    sources = spec.sources
    if spec.kind == Kind.MERGE:
        for source in sources:
            _succeed(preview, source, spec.successor, on)
    elif spec.kind == Kind.SPLIT:
        tasks = _with_successors(spec.tasks)
        _pass_tasks(preview, tasks, spec.other_successor, on, sources[0])
        _succeed(preview, sources[0], spec.successor, on)
    elif spec.kind == Kind.RENAME:
        source = sources[0]
        new = Agency(
            name=spec.new_name.strip(),
            short_name=spec.new_short_name.strip(),
            abbreviation=spec.new_abbreviation.strip(),
            kind=source.kind,
            province_id=source.province_id,
            parent=source.parent,
            email=source.email,
        )
        preview.new_agency = new
        preview.moves.append(
            Move("agency", new.name, source.name, _("new name from %(date)s") % {"date": _d(on)})
        )
        _succeed(preview, source, new, on)
    elif spec.kind == Kind.DISSOLVE:
        for source in sources:
            ending = [source] + [m for m in source.members.all() if not m.dissolved_on]
            for agency in ending:
                if agency.dissolved_on != on and not agency.succeeded_by_id:
                    preview.agency_updates.append((agency, {"dissolved_on": on}))
                    preview.moves.append(
                        Move(
                            "agency",
                            agency.name,
                            agency.name,
                            _("ends on %(date)s") % {"date": _d(on)},
                        )
                    )
            if spec.successor:
                _pass_tasks(preview, _led_by(source), spec.successor, on, source)
                if not spec.successor.is_group:
                    for user in User.objects.filter(agency=source, is_active=True).order_by(
                        "username"
                    ):
                        preview.users.append((user, spec.successor))
                        preview.moves.append(
                            Move(
                                "user",
                                user.get_full_name() or user.username,
                                source.name,
                                spec.successor.name,
                            )
                        )
                _hand_over_rounds(preview, source, spec.successor, on)
    elif spec.kind == Kind.MOVE:
        for source in sources:
            if source.parent_id != spec.successor.pk:
                preview.agency_updates.append((source, {"parent": spec.successor}))
                preview.moves.append(
                    Move(
                        "agency",
                        source.name,
                        source.parent.name if source.parent else "–",
                        spec.successor.name,
                    )
                )
    elif spec.kind == Kind.TRANSFER:
        _pass_tasks(preview, _with_successors(spec.tasks), spec.successor, on, sources[0])
    return preview


def _with_successors(tasks: list[Task]) -> list[Task]:
    return list(
        Task.objects.filter(pk__in=[t.pk for t in tasks])
        .prefetch_related("successors", "co_lead_links__agency")
        .order_by("plan", "position")
    )


def reorganisation_record(*, spec: Spec, recorded_by: User) -> Reorganisation:
    """Validate, preview and apply the event in one transaction, and store it with what moved.

    Recording the same event again changes nothing and is refused, so nothing is duplicated.
    """
    if not access.can_manage_agencies(recorded_by):
        raise PermissionDenied
    with transaction.atomic():
        # Lock the agencies concerned, so two administrators recording at once apply in turn.
        ids = [a.pk for a in spec.sources] + [
            a.pk for a in (spec.successor, spec.other_successor) if a
        ]
        list(Agency.objects.select_for_update().filter(pk__in=ids))
        spec.sources = list(Agency.objects.filter(pk__in=[a.pk for a in spec.sources]))
        for name in ("successor", "other_successor"):
            if getattr(spec, name) is not None:
                setattr(spec, name, Agency.objects.get(pk=getattr(spec, name).pk))
        preview = reorganisation_preview(spec)
        if not preview.changes_anything:
            raise ValidationError(_("Nothing would change: this event is already recorded."))
        if preview.new_agency is not None:
            preview.new_agency.full_clean()
            preview.new_agency.save()
        for agency, values in preview.agency_updates:
            for key, value in values.items():
                setattr(agency, key, value)
            agency.full_clean()
            agency.save(update_fields=list(values))
        for task, agency, replaces in preview.task_successors:
            TaskSuccessor.objects.update_or_create(
                task=task,
                replaces=replaces,
                since=spec.effective_on,
                defaults={"agency": agency, "reason": spec.note[:255] or spec.legal_basis[:255]},
            )
        for submission, agency in preview.submissions:
            # Only a report nobody has touched moves; re-read under lock to be sure of it.
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if locked.state == Submission.State.NOT_STARTED and not locked.version:
                locked.agency = agency
                locked._change_reason = str(Reorganisation.Kind(spec.kind).label)
                locked.save(update_fields=["agency"])
        for user, agency in preview.users:
            user.agency = agency
            user.save(update_fields=["agency"])
        event = Reorganisation.objects.create(
            kind=spec.kind,
            effective_on=spec.effective_on,
            successor=preview.new_agency or spec.successor,
            legal_basis=spec.legal_basis,
            note=spec.note,
            changes=[m.as_json() for m in preview.moves],
            recorded_by=recorded_by,
            province_id=_one_province(spec.sources, preview.new_agency or spec.successor),
        )
        event.sources.set(spec.sources)
    return event


def _one_province(sources, successor) -> int | None:
    """The province of every agency an event names, if they share one (else: national)."""
    provinces = {a.province_id for a in [*sources, *([successor] if successor else [])]}
    return provinces.pop() if len(provinces) == 1 else None
