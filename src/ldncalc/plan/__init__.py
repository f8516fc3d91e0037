"""The plan wing: titration protocols and schedules, batches and supply.

Import the submodules; this package imports nothing, so that start-up stays light.
"""
