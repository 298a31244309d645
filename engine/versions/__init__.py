"""The engine's publishing, frozen versions and the registry that serves them."""
