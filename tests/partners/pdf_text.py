"""Reading a PDF back with pypdf, whitespace normalised."""
from __future__ import annotations

import re

from pypdf import PdfReader


def page_texts(path) -> list[str]:
    reader = PdfReader(str(path))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]
