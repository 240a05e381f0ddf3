"""Qt widgets of the activities log and the reports browser."""
