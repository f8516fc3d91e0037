"""The diary wing: entries, codec, the re-planning fold, the day's status, service and store.

Import the submodules; this package imports nothing, so that start-up stays light.
"""
