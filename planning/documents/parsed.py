"""What the parser found, before it becomes interchange JSON (see proposal.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tasks.timeframes import Timeframe

from .flags import Flag


@dataclass
class ParsedSection:
    number: str
    title: str = ""
    text: str = ""
    children: list[ParsedSection] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class ParsedTarget:
    code: str
    name: str
    text: str
    unit: str = ""
    comparator: str = "qualitative"
    value: str | None = None
    year: int | None = None
    parent: str | None = None
    annual_rate: bool = False
    sources: list[str] = field(default_factory=list)


@dataclass
class ParsedTask:
    code: str
    section: str
    content: str
    leads: list[str] = field(default_factory=list)  # names as written
    coordination: str = ""
    coordinator_names: list[str] = field(default_factory=list)
    output: str = ""
    timeframe: Timeframe | None = None
    timeframe_text: str = ""
    sources: list[str] = field(default_factory=list)
    lead_inferred: bool = False
    output_guessed: bool = False


@dataclass
class ParsedPlan:
    title: str = ""
    number: str = ""
    issuer: str = ""
    issuer_guessed: bool = False
    issued_on: str | None = None
    place: str = ""
    signer_title: str = ""
    signer_name: str = ""
    preamble: str = ""
    implements: list[dict] = field(default_factory=list)
    replaces: list[dict] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    focal_name: str = ""
    horizon_year: int | None = None
    vision_year: int | None = None
    report_due: tuple[int, int] | None = None  # (month, day)
    sections: list[ParsedSection] = field(default_factory=list)
    targets: list[ParsedTarget] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    column_mappings: list = field(default_factory=list)
