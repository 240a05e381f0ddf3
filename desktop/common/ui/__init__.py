"""The Qt kit every capability shares: background jobs, tables, dialogs, translation."""
