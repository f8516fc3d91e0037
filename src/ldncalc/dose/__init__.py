"""The dose wing: preparations, syringes, accuracy ranges, dilution and the recommender.

Import the submodules; this package imports nothing, so that start-up stays light.
"""
