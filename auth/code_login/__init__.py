"""One-time code login for respondents identified by a DUF number."""
