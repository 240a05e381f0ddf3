"""``python -m desktop``: the same as ``razem``. Guarded: a child process started by
multiprocessing (``spawn``, e.g. the PDF writer of desktop.printing.pdfprocess) must not run
the program again."""
if __name__ == "__main__":
    from desktop.cli import main

    raise SystemExit(main())
