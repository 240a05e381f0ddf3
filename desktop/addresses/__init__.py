"""Address points of the national address register (PRG): import, lookup, consistency."""
