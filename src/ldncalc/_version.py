"""The one place the version lives (read by the build and by ``--version``)."""

__version__ = "0.6.0"
