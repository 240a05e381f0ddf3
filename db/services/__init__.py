"""A small service layer: each function opens one short session and returns plain data."""
