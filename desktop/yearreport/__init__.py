"""The year's report "Sprawozdanie z realizacji programu" (Qt-free core: content, document,
XLSX, command line; the dialog lives in ``ui``)."""
