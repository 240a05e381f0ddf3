"""Reading an HTML set back: every link, address and element, parsed (not searched)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href",
             "background", "cite", "longdesc", "manifest", "ping", "xmlns", "xmlns:xlink"}


@dataclass
class Page:
    tags: list[str] = field(default_factory=list)
    attrs: list[tuple[str, str, str]] = field(default_factory=list)  # tag, name, value
    text: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)

    @property
    def links(self) -> list[str]:
        return [v for t, n, v in self.attrs if n == "href"]

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.page.tags.append(tag)
        self.page.attrs += [(tag, n, v or "") for n, v in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.page.styles if self._in_style else self.page.text).append(data)


def parse(path: Path) -> Page:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def external_references(page: Page) -> list[str]:
    """Everything that could make a browser ask another place for something."""
    found = []
    for tag, name, value in page.attrs:
        if name in URL_ATTRS or name.startswith("on"):
            v = value.strip().lower()
            if name.startswith("on") or name != "href" or re.match(r"^[a-z][a-z0-9+.-]*:", v) \
                    or v.startswith("//") or "/" in v or "\\" in v:
                found.append(f"{tag} {name}={value}")
        if name == "style" and "url(" in value.lower():
            found.append(f"{tag} style={value}")
    for css in page.styles:
        if re.search(r"url\(|@import", css, re.I):
            found.append(f"style: {css[:60]}")
    return found
