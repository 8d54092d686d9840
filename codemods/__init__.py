"""LibCST codemods: one module per rule (discovered by upgrade.registry), plus helpers (_*.py)."""
