"""Werkzeug compiles two URL-building functions per route when an app is made (Python code
built and compiled at run time: about half of `create_app`'s time). The tests make an app per
test, so they share the functions between apps: a builder depends only on its rule's parts
and defaults, and takes the rule it builds for as its first argument."""

from werkzeug.routing.rules import Rule


def share_url_builders() -> None:
    """From now on, a rule whose parts and defaults an earlier rule had reuses its builders."""
    compile_builder = Rule._compile_builder
    built: dict[tuple, object] = {}

    def shared(rule: Rule, append_unknown: bool = True):
        key = (rule.rule, tuple(rule._trace), _defaults(rule), append_unknown)
        if key not in built:
            built[key] = compile_builder(rule, append_unknown)
        return built[key]

    Rule._compile_builder = shared


def _defaults(rule: Rule) -> tuple:
    """The rule's defaults as the builder bakes them in (through the converter's to_url)."""
    converters = rule._converters
    return tuple(
        sorted((name, type(converters.get(name)).__name__, repr(value))
               for name, value in (rule.defaults or {}).items())
    )  # fmt: skip
