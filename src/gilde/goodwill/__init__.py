"""Favours given and received, the goodwill balance, and the signals the network tells us."""
