"""The audit trail: who viewed, exported, changed, merged or deleted personal data, and every login."""
