"""Qt-free helpers shared by several capabilities (text folding, geometry)."""
