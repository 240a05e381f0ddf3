"""Qt widgets of the partner register: the "Partnerzy" tab and its dialogs."""
