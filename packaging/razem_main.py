"""Entry script for frozen builds (PyInstaller): the same as `razem` / `python -m desktop`.

``freeze_support()`` comes first: a child process that multiprocessing starts (``spawn``: the
PDF writer of desktop.printing.pdfprocess) runs this same executable with its own arguments;
there it runs the child's work and exits instead of starting the program."""
import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from desktop.cli import main

    raise SystemExit(main())
