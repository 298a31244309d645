"""Personal API tokens: made by a staff user, shown once, kept as a hash, scoped and expiring."""
