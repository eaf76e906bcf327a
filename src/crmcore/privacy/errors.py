"""The exceptions of :mod:`crmcore.privacy` requests, all :class:`~crmcore.errors.CRMError`.

Refused arguments raise :class:`~crmcore.errors.InvalidValueError` naming the argument; a step a
request's lifecycle does not allow raises :class:`TransitionError`. No message holds a value.
"""

from __future__ import annotations

from crmcore.errors import CRMError

__all__ = ["TransitionError"]


class TransitionError(CRMError):
    """A privacy request cannot take this step from the status it is in.

    ``current`` and ``target`` are the status values (``"completed"``, ``"extended"``, ...);
    the request is left unchanged.

    >>> str(TransitionError("completed", "in_progress"))
    'a request cannot go from completed to in_progress'
    """

    def __init__(self, current: str, target: str, reason: str = "") -> None:
        self.current = current
        self.target = target
        self.reason = reason
        message = f"a request cannot go from {current} to {target}"
        super().__init__(f"{message}: {reason}" if reason else message)
