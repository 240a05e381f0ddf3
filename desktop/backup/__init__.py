"""Backups and restore: SQLite through the online backup API, any database as a portable dump
(a zip of JSON lines per table with the schema revision), automatic daily backups."""
