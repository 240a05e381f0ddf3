"""Persistence for Razem: engine/session setup, typed models, migrations, services.

Nothing in this package imports Qt.
"""
