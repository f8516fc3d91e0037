"""The diary file: where it is, backup, export, import, check, erase."""
