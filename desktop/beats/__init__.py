"""Beats and assignments: rules, street register, boundary import, the printed beat summary.

Modules here are Qt-free; widgets and dialogs live in ``desktop.beats.ui``.
"""
