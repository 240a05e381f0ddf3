"""The programme's activities log and the KMZB reports browser (Qt-free core)."""
