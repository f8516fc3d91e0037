"""The diary commands: the living plan, day by day (filled in by issue 13)."""
