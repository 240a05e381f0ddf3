"""Paged output (PDF files, printers, print preview) of ``PagedDocument``s that Qt-free report
modules describe (``desktop.common.document``). The shipped DejaVu font keeps Polish letters
intact on any workstation."""
