"""What the reporting workflow tells the rest of the portal, without importing it.

`submission_event` is sent inside the step's transaction, with `submission` (as saved) and
`event` (a `Submission.Event`). Receivers that act outside the database wait for the commit.
"""

from django.dispatch import Signal

submission_event = Signal()
