"""What the tests share besides fixtures: drivers for the screen and the command line,
fixed data, the faults and the backends the tests run against. Imported as
``helpers.NAME`` (``tests/`` is on the path through its conftest)."""
