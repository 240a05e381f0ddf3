"""Audit log: who changed what and when (reading, filtering, CSV export; the writing is done
by session events in ``db.audit``)."""
