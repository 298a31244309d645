"""Which template draws each question type's widget: the renderer's own, or a plugin's."""

from flask import Flask
from jinja2 import TemplateNotFound

from engine.app.context import EXTENSION
from engine.app.plugins import PluginError

OWN_WIDGETS = frozenset({"text", "long_text", "integer", "year", "select", "radio", "checkboxes",
                         "scale", "group", "note"})  # fmt: skip
"""Drawn by `respondent/macros.html` itself."""


def install(app: Flask) -> None:
    """Find every widget's template, or stop start-up naming the type whose widget is unknown."""
    state = app.extensions[EXTENSION]
    templates = _plugin_templates(state.plugins.hook.kompass_widget_templates())
    for qtype in state.registry.types.values():
        if qtype.widget not in OWN_WIDGETS and qtype.widget not in templates:
            known = ", ".join(sorted(OWN_WIDGETS | set(templates)))
            raise PluginError(
                f"question type '{qtype.name}' has the widget '{qtype.widget}', which has no "
                f"template: a plugin gives it through kompass_widget_templates (known: {known})"
            )
    for widget, name in templates.items():
        try:
            app.jinja_env.get_template(name)
        except TemplateNotFound as error:
            raise PluginError(f"the template '{name}' of widget '{widget}' is not found") from error
    app.jinja_env.globals["widget_templates"] = templates


def _plugin_templates(provided: list[dict[str, str]]) -> dict[str, str]:
    templates: dict[str, str] = {}
    for given in provided:
        for widget, name in given.items():
            if widget in OWN_WIDGETS or widget in templates:
                raise PluginError(f"widget '{widget}' is given twice")
            templates[widget] = name
    return templates
