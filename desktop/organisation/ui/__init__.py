"""Widgets of the organisation: the Organizacja tab, the first-start choice, the roster import."""
