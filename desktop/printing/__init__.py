"""Paged output (PDF files, printers, print preview) of HTML documents built by Qt-free
report modules. The shipped DejaVu font keeps Polish letters intact on any workstation."""
