"""Single sign-on for staff through OpenID Connect (authorization code with PKCE)."""
