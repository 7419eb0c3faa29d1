"""The English interface of a Vietnamese portal keeps Vietnamese dates: 15/01/2027 is January 15."""

from config.formats.vi.formats import (  # noqa: F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
)
