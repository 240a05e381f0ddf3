"""SVG images of a printed document drawn as vectors.

Qt's own image handler rasterises a ``data:image/svg+xml`` picture (a beat's map, a chart)
and the PDF writer then compresses that bitmap: for a unit's 48 beat summaries this was most of
the print time. This handler draws the SVG straight onto the page instead (the same picture,
sharp at any zoom). Other images are drawn as Qt draws them.
"""
from __future__ import annotations

import base64
import binascii

from PySide6.QtCore import QByteArray, QObject, QPointF, QRect, QRectF, QSizeF
from PySide6.QtGui import (
    QImage,
    QPainter,
    QPyTextObject,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtSvg import QSvgRenderer

SVG_PREFIX = "data:image/svg+xml;base64,"
DEFAULT_DPI = 96  # the document's pixel: an <img width> is in 96-dpi pixels, as in Qt


class SvgImageHandler(QPyTextObject):
    """A ``QTextObjectInterface`` for image objects; one per document (its parent)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._renderers: dict[str, QSvgRenderer | None] = {}

    def _renderer(self, name: str) -> QSvgRenderer | None:
        if name not in self._renderers:
            renderer = None
            if name.startswith(SVG_PREFIX):
                try:
                    data = base64.b64decode(name[len(SVG_PREFIX):], validate=True)
                except (binascii.Error, ValueError):
                    data = b""
                candidate = QSvgRenderer(QByteArray(data))
                renderer = candidate if candidate.isValid() else None
            self._renderers[name] = renderer
        return self._renderers[name]

    def _image(self, doc: QTextDocument, name: str) -> QImage:
        resource = doc.resource(QTextDocument.ResourceType.ImageResource, name)
        if isinstance(resource, QImage):
            return resource
        image = QImage()
        if isinstance(resource, QByteArray):
            image.loadFromData(resource)
        elif isinstance(resource, (bytes, bytearray)):
            image.loadFromData(bytes(resource))
        elif hasattr(resource, "toImage"):  # QPixmap
            image = resource.toImage()
        return image

    def intrinsicSize(self, doc: QTextDocument, posInDocument: int,
                      format: QTextFormat) -> QSizeF:
        fmt = format.toImageFormat()
        width, height = fmt.width(), fmt.height()
        renderer = self._renderer(fmt.name())
        if renderer is not None:
            natural = QSizeF(renderer.defaultSize())
        else:
            natural = QSizeF(self._image(doc, fmt.name()).size())
        if width <= 0 and height <= 0:
            width, height = natural.width(), natural.height()
        elif width <= 0:
            width = natural.width() * height / natural.height() if natural.height() else 0
        elif height <= 0:
            height = natural.height() * width / natural.width() if natural.width() else 0
        device = doc.documentLayout().paintDevice()
        scale = device.logicalDpiY() / DEFAULT_DPI if device is not None else 1.0
        return QSizeF(width * scale, height * scale)

    def drawObject(self, painter: QPainter, rect: QRectF | QRect, doc: QTextDocument,
                   posInDocument: int, format: QTextFormat) -> None:
        name = format.toImageFormat().name()
        renderer = self._renderer(name)
        if renderer is not None:
            renderer.render(painter, QRectF(rect))
            return
        image = self._image(doc, name)
        if not image.isNull():
            painter.drawImage(QRectF(rect), image, QRectF(QPointF(0, 0), QSizeF(image.size())))


def draw_svg_as_vectors(doc: QTextDocument) -> None:
    """Make the document's layout draw SVG images with :class:`SvgImageHandler`."""
    handler = SvgImageHandler(doc)
    doc.documentLayout().registerHandler(QTextFormat.ObjectTypes.ImageObject, handler)
