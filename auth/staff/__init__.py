"""Staff accounts: log-in, roles, access rules and the audit log."""
