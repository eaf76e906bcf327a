"""When a phone number may be written in its E.164 form.

Cleaning writes a number as given in its E.164 form only when that loses nothing: the number
is valid (in a range its numbering plan assigns) and its E.164 form reads back as the very same
E.164 form. The E.164 form of an invalid number does not always read back the same
(phonenumbers may strip what looks like a national prefix a second time: ``000-000-0000`` read
in Germany gives ``+49000000000``, which reads back as ``+4900000000``), and rewriting an
invalid number would lose the text it was given as; such a number keeps its text.
"""

from __future__ import annotations

from crmcore.validation.phones import plain_facts

__all__ = ["reads_back", "writes_as_e164"]


def reads_back(e164: str, region: str | None = None) -> bool:
    """Whether ``e164`` read again gives ``e164``.

    ``region`` changes nothing in the answer (a number written with its ``+`` reads the same
    in every region): it is the region the number will be stored with, the one the phone
    rules of validation read it in, so that they find it already read.
    """
    return plain_facts(e164, region)[3] == e164  # its E.164 form


def writes_as_e164(e164: str, region: str | None = None) -> bool:
    """Whether a number whose E.164 form is ``e164`` may be written in that form.

    ``region`` is as for :func:`reads_back`: it changes nothing in the answer.

    >>> writes_as_e164("+442079460958"), writes_as_e164("+49000000000")
    (True, False)
    >>> writes_as_e164("+442079460958", "FR")
    True
    """
    _, _, valid, read_as, *_ = plain_facts(e164, region)
    return valid and read_as == e164
