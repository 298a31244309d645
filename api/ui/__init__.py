"""The staff pages of API tokens (/admin/api-nokler): make one, see it once, list, revoke."""
