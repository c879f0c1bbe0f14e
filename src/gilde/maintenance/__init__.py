"""Relationship maintenance: contact rhythm per tier, tie strength from history, due lists, digest and calendar feed."""
