"""Pseudonyms: a keyed, stable stand-in for a personal value, so that joins work without it.

:func:`pseudonymise` returns the HMAC-SHA256 of a value's normalised form under a secret key
of at least 32 bytes. The same value gives the same pseudonym under the same key, whatever
way it was written (``Ada@Example.ORG`` and ``ada@example.org``, ``020 7946 0958`` read in
GB and ``+44 20 7946 0958``), so records pseudonymised apart still join; another key gives
unrelated pseudonyms. It is never a plain hash: without the key, nobody can test a guessed
email against a pseudonym. Keep the key as secret as the data (GDPR Art. 4(5) asks that the
additional information be "kept separately"); destroying it turns pseudonyms into
unlinkable tokens.

>>> key = bytes(range(32))
>>> a = pseudonymise(EmailAddress("Ada.Lovelace@Example.ORG"), key)
>>> a == pseudonymise("Ada.Lovelace@example.org", key, kind="email")
True
>>> a == pseudonymise("Ada.Lovelace@example.org", bytes(range(1, 33)), kind="email")
False
>>> len(a)
64
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from typing import Literal

from crmcore.errors import InvalidValueError
from crmcore.records.values import (
    EmailAddress,
    PersonName,
    PhoneNumber,
    normalise_email,
    parse_phone,
)

__all__ = ["KEY_BYTES", "PseudonymKind", "normalise_for_pseudonym", "pseudonymise"]

KEY_BYTES = 32
"""The shortest key :func:`pseudonymise` takes, in bytes: as long as SHA-256's output."""

PseudonymKind = Literal["email", "phone", "text"]
"""How a value is normalised before it is keyed: as an email, a phone number or text."""

_KINDS: tuple[str, ...] = ("email", "phone", "text")
_SPACES = re.compile(r"\s+")
_REGION = re.compile(r"[A-Z]{2}|001")


def _check_key(key: object) -> bytes:
    if isinstance(key, str):
        raise InvalidValueError(
            "expected bytes, not text: use a random secret of 32 bytes or more, never a password",
            field="key",
        )
    if not isinstance(key, (bytes, bytearray, memoryview)):
        raise InvalidValueError("expected bytes", field="key")
    data = bytes(key)
    if len(data) < KEY_BYTES:
        raise InvalidValueError(f"too short: a key needs {KEY_BYTES} bytes or more", field="key")
    if len(set(data)) == 1:
        raise InvalidValueError("one byte repeated is not a secret", field="key")
    return data


def _text(value: str) -> str:
    folded = unicodedata.normalize("NFKC", value).casefold()
    # casefold can undo NFKC (``ß`` gives ``ss``, fine; some compatibility forms reappear), so
    # normalise once more; then one space between words, none around them.
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", folded)).strip()


def normalise_for_pseudonym(
    value: str | EmailAddress | PhoneNumber | PersonName,
    *,
    kind: PseudonymKind | None = None,
    region: str | None = None,
) -> tuple[PseudonymKind, str]:
    """The kind and normalised text that :func:`pseudonymise` keys, for ``value``.

    - An :class:`~crmcore.EmailAddress`, or text with ``kind="email"``: the address as
      :func:`~crmcore.records.values.normalise_email` gives it (the domain in lower case; the
      local part kept as written, since mail servers may tell its cases apart).
    - A :class:`~crmcore.PhoneNumber`, or text with ``kind="phone"`` (read in ``region``): its
      E.164 form; an extension is left out, so the pseudonym names the line.
    - Anything else is text (``kind="text"``, the default for ``str``; a
      :class:`~crmcore.PersonName` by its display form): Unicode NFKC, case-folded, runs of
      white space made one space, trimmed.

    Raise :class:`~crmcore.errors.InvalidValueError` naming ``value``, ``kind`` or ``region``
    (never quoting the value) when it cannot be read as the kind asked.

    >>> normalise_for_pseudonym("  Ｓarah   O'Brien ")
    ('text', "sarah o'brien")
    >>> normalise_for_pseudonym("020 7946 0958", kind="phone", region="GB")
    ('phone', '+442079460958')
    """
    if kind is not None and kind not in _KINDS:
        raise InvalidValueError("expected 'email', 'phone' or 'text'", field="kind")
    if region is not None and (kind != "phone" or not isinstance(value, str)):
        raise InvalidValueError(
            "a region is only read for a phone number given as text", field="region"
        )
    if region is not None and (not isinstance(region, str) or not _REGION.fullmatch(region)):
        raise InvalidValueError("expected an ISO 3166-1 alpha-2 code or 001", field="region")
    if isinstance(value, EmailAddress):
        _expect(kind, "email")
        return "email", value.normalised
    if isinstance(value, PhoneNumber):
        _expect(kind, "phone")
        return "phone", value.e164
    if isinstance(value, PersonName):
        _expect(kind, "text")
        value = value.display
    elif not isinstance(value, str):
        raise InvalidValueError(
            "expected text, an EmailAddress, a PhoneNumber or a PersonName", field="value"
        )
    if kind == "email":
        try:
            return "email", normalise_email(value)
        except InvalidValueError as exc:
            raise InvalidValueError(exc.reason, field="value") from None
    if kind == "phone":
        try:
            return "phone", parse_phone(value, region)[0]
        except InvalidValueError as exc:
            if exc.field == "region" or "region" in exc.reason:
                raise InvalidValueError(exc.reason, field="region") from None
            raise InvalidValueError(exc.reason, field="value") from None
    normal = _text(value)
    if not normal:
        raise InvalidValueError("nothing to pseudonymise: blank text", field="value")
    return "text", normal


def _expect(kind: str | None, natural: str) -> None:
    if kind is not None and kind != natural:
        raise InvalidValueError(f"this value is always read as {natural}", field="kind")


def pseudonymise(
    value: str | EmailAddress | PhoneNumber | PersonName,
    key: bytes,
    *,
    kind: PseudonymKind | None = None,
    region: str | None = None,
) -> str:
    """The pseudonym of ``value`` under ``key``: 64 lower-case hex digits of HMAC-SHA256.

    The value is normalised first (see :func:`normalise_for_pseudonym`), then keyed together
    with its kind, so that an email, a phone number and a text that happen to read alike never
    share a pseudonym. ``key`` is bytes, at least :data:`KEY_BYTES` long (a random secret,
    such as ``secrets.token_bytes(32)``); text, a short key or one byte repeated is refused
    with :class:`~crmcore.errors.InvalidValueError` naming ``key``.

    >>> key = bytes(range(32))
    >>> pseudonymise("+44 20 7946 0958", key, kind="phone") == pseudonymise(
    ...     PhoneNumber("020 7946 0958", region="GB"), key)
    True
    >>> pseudonymise("Ada", "a passphrase that is long enough, surely")
    Traceback (most recent call last):
    ...
    crmcore.errors.InvalidValueError: key: expected bytes, not text: use a random secret of 32 bytes or more, never a password
    """  # noqa: E501
    secret = _check_key(key)
    found, normal = normalise_for_pseudonym(value, kind=kind, region=region)
    message = f"crmcore.pseudonym.v1\x00{found}\x00{normal}".encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
