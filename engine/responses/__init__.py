"""The engine's answers stored, the response lifecycle, verification and retention."""
