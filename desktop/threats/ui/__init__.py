"""Qt layer of the threat diagnosis: the tab, the trend chart, the import dialog, plans."""
