"""„Twój dzielnicowy” for publication: A4 leaflets and an offline HTML set (Qt-free core)."""
