"""Qt widgets of the address points: the PRG import and the consistency report."""
