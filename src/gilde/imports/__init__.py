"""Import batches: preview, atomic commit with provenance, undo; duplicate review and merge; exports."""
