"""The one contact card: an officer's name, substitution, phones and e-mail as HTML for a
QTextBrowser. Every value from data is escaped."""
from __future__ import annotations

import html
from typing import Protocol

from desktop.common.ui.i18n import translator

_tr = translator("contact")


class ContactLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def substitute_for(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def mobile(self) -> str: ...
    @property
    def email(self) -> str: ...


def contact_card_html(title: str, contact: ContactLike | None, missing: str) -> str:
    """``<p>`` with the title in bold, then one line per known detail; ``missing`` (Polish,
    e.g. "brak przydziału") in italics when there is no contact."""
    e = html.escape
    if contact is None:
        return f"<p><b>{e(title)}:</b> <i>{e(missing)}</i></p>"
    lines = [f"<b>{e(title)}:</b> {e(contact.name)}"]
    if contact.substitute_for:
        lines.append(e(_tr("zastępstwo za: {0}").format(contact.substitute_for)))
    for value, fmt in ((contact.phone, _tr("tel. {0}")), (contact.mobile, _tr("tel. kom. {0}")),
                       (contact.email, "{0}")):
        if value:
            lines.append(e(fmt.format(value)))
    return "<p>" + "<br>".join(lines) + "</p>"
