"""Qt layer of the beats capability: the "Rejony i przydziały" tab, roster and dialogs."""
