"""The staff web UI under /admin/ (Norwegian Bokmål first, English second)."""
