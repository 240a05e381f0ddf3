"""Qt-free generator of the clearly labelled sample database for KMP Konin."""
