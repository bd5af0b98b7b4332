"""`python -m newsreader` runs the same entry point as the console script."""

from newsreader.cli.main import main

raise SystemExit(main())
