"""The organisation of a command: its units, gminas and beats, the kind of database (sample
or a real station's), the roster import. Qt-free; the widgets are in ``ui/``."""
