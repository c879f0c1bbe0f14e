"""Favours given and received and the goodwill balance (the signals relations tell us are in contacts)."""
