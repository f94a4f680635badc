"""Tests of ``tickmini test`` (a package, so its conftest is ``testing.conftest``, not ``conftest``)."""
