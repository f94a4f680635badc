"""``python -m tickmini``."""

from tickmini.cli.main import main

raise SystemExit(main())
