"""Entry script for frozen builds (PyInstaller): the same as `razem` / `python -m desktop`."""
from desktop.cli import main

raise SystemExit(main())
