"""The domain: models, choices, guards, querysets, the workflow and every write (services)."""
