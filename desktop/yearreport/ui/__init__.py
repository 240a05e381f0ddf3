"""The dialog of the year's report."""
