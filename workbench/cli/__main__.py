"""``python -m workbench.cli`` is the same as the ``workbench`` command."""

from workbench.cli.app import main

raise SystemExit(main())
