"""The window part of „Twój dzielnicowy”: the publication dialog."""
