"""What a token may be used for, and which staff rule each scope needs of its owner."""

from collections.abc import Callable

from auth.staff import access
from auth.staff.models import User

FEED = "feed.read"
MAPPINGS = "mapping.read"

# The owner must pass the rule when the token is made and at every use (roles can change).
RULES: dict[str, Callable[[User], bool]] = {
    FEED: access.can_export,
    MAPPINGS: access.can_search_persons,
}


def allowed(user: User) -> list[str]:
    """The scopes `user` may make a token for."""
    return [scope for scope, rule in RULES.items() if rule(user)]
