"""What comparators may need besides the two records: :class:`CompareContext`.

Today it holds the email providers whose rules make two addresses one mailbox: dots the
provider ignores, plus tags it delivers, domains that are one another's aliases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from crmcore.errors import InvalidValueError

__all__ = ["DEFAULT_PROVIDERS", "CompareContext", "EmailProvider"]


def _domains(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidValueError("expected a tuple of domains", field="domains")
    found = tuple(value)
    if not found or not all(isinstance(domain, str) and "." in domain for domain in found):
        raise InvalidValueError("expected one domain or more", field="domains")
    return tuple(domain.lower() for domain in found)


@attrs.frozen(cache_hash=True)  # hashed by every cached email lookup: once, not per call
class EmailProvider:
    """How one mail provider reads the local part of its addresses.

    ``domains`` are one mailbox space: the first is canonical, the others its aliases
    (``googlemail.com`` for ``gmail.com``). ``ignores_dots``: the provider delivers
    ``j.doe`` and ``jdoe`` to one mailbox. ``plus_tags``: it delivers ``jdoe+news`` to
    ``jdoe``. Local parts are compared without case everywhere.

    >>> EmailProvider(("gmail.com", "googlemail.com"), ignores_dots=True, plus_tags=True).domains
    ('gmail.com', 'googlemail.com')
    """

    domains: tuple[str, ...] = attrs.field(converter=_domains)
    ignores_dots: bool = False
    plus_tags: bool = False


DEFAULT_PROVIDERS: tuple[EmailProvider, ...] = (
    EmailProvider(("gmail.com", "googlemail.com"), ignores_dots=True, plus_tags=True),
    EmailProvider(("outlook.com",), plus_tags=True),
    EmailProvider(("hotmail.com",), plus_tags=True),
    EmailProvider(("hotmail.co.uk",), plus_tags=True),
    EmailProvider(("hotmail.fr",), plus_tags=True),
    EmailProvider(("live.com",), plus_tags=True),
    EmailProvider(("live.fr",), plus_tags=True),
    EmailProvider(("msn.com",), plus_tags=True),
    EmailProvider(("icloud.com", "me.com", "mac.com"), plus_tags=True),
    EmailProvider(("fastmail.com",), plus_tags=True),
    EmailProvider(("proton.me", "protonmail.com", "protonmail.ch", "pm.me"), plus_tags=True),
    EmailProvider(("yandex.ru", "yandex.com", "ya.ru"), plus_tags=True),
    EmailProvider(("zoho.com",), plus_tags=True),
)
"""Providers whose rules are public and stable; an address elsewhere is read as written.

Yahoo's disposable addresses (``base-keyword``) are separate mailboxes, and most company
domains do not deliver plus tags, so neither is undone.
"""


def _index(providers: tuple[EmailProvider, ...]) -> Mapping[str, EmailProvider]:
    index: dict[str, EmailProvider] = {}
    for provider in providers:
        if not isinstance(provider, EmailProvider):
            raise InvalidValueError("expected EmailProvider values", field="providers")
        for domain in provider.domains:
            index.setdefault(domain, provider)
    return index


@attrs.frozen
class CompareContext:
    """Options every comparator receives; the default one suits most data.

    >>> CompareContext().provider("googlemail.com").domains[0]
    'gmail.com'
    """

    providers: tuple[EmailProvider, ...] = attrs.field(default=DEFAULT_PROVIDERS, converter=tuple)
    _by_domain: Mapping[str, EmailProvider] = attrs.field(
        init=False,
        repr=False,
        eq=False,
        default=attrs.Factory(lambda self: _index(self.providers), takes_self=True),
    )

    def provider(self, domain: str) -> EmailProvider | None:
        """The provider of ``domain`` (lower case), if it is one of :attr:`providers`."""
        return self._by_domain.get(domain)
