"""Files a database transaction writes beside its rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models.fields.files import FieldFile


@contextmanager
def atomic_removing_stored_files() -> Iterator[Callable[[FieldFile], None]]:
    """An atomic block that deletes the files stored inside it if it fails.

    Storage is not transactional and Django has no on_rollback hook, so a step that stores an
    upload and then fails would leave the file in MEDIA_ROOT with no row pointing at it.
    Call the yielded `watch(fieldfile)` before a file may be stored in that field (an empty
    field about to be saved, or one a new upload was assigned to): if the block then raises,
    including at commit, every watched field that now holds a file it did not hold when watched
    has that file deleted before the error goes on. A file already stored is never touched.
    """
    watched: list[tuple[FieldFile, str | None]] = []

    def watch(fieldfile: FieldFile) -> None:
        watched.append((fieldfile, fieldfile.name if fieldfile._committed else None))

    try:
        with transaction.atomic():
            yield watch
    except BaseException:
        for fieldfile, before in watched:
            if fieldfile._committed and fieldfile.name and fieldfile.name != before:
                fieldfile.storage.delete(fieldfile.name)
        raise
