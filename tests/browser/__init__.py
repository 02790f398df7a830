"""Browser tests. A package, so that its conftest does not take the name `conftest`
that the unit tests import helpers from."""
