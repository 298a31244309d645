"""Login and access plugins."""
