"""The application factory: settings, database, plugins, questionnaires, i18n, CSRF.

Questionnaires are served from the versions published in the database, never from the files,
so the app starts whatever state the questionnaire folders are in.
"""

from datetime import timedelta
from pathlib import Path

from flask import Flask, g
from flask_babel import Babel
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect

from engine.app import (
    busy,
    commands,
    config,
    context,
    deployment,
    health,
    i18n,
    plugins,
    proxies,
    request_limits,
    security,
    static_assets,
    template_cache,
)
from engine.app.db import make_engine, make_sessionmaker
from engine.app.ids import IdConverter
from engine.app.session_cookie import FilesKeepTheCookie
from engine.translation import interface as interface_text
from engine.translation import recorded_catalogues
from engine.versions import published
from engine.versions.registry import QuestionnaireRegistry

MAX_BODY_BYTES = 1_000_000  # the longest form page is far below this; larger bodies get 413
MAX_FORM_FIELDS = 1_000  # the longest form page posts a few hundred fields; more get 413


def create_app(overrides: dict | None = None) -> Flask:
    instance = Path(config.PROJECT_ROOT / "instance")
    settings = config.load(instance, overrides)
    deployment.check(settings)
    app = Flask("kompass", instance_path=str(instance))
    app.url_map.converters["id"] = IdConverter
    app.jinja_env.bytecode_cache = template_cache.SHARED
    manager = plugins.make_plugin_manager(plugins.enabled(settings["PLUGINS"]))
    config.add_plugin_settings(settings, manager.hook.kompass_settings(), overrides)
    app.config.update(_flask_settings(settings))
    request_limits.install(app, MAX_BODY_BYTES, MAX_FORM_FIELDS)
    _trust_proxies(app, settings["TRUSTED_PROXIES"])
    registry = QuestionnaireRegistry(
        plugins.question_types(manager),
        settings["ACTIVE_QUESTIONNAIRE"],
        Path(settings["QUESTIONNAIRES_DIR"]),
        plugins.uses(manager),
    )
    sessions = make_sessionmaker(make_engine(settings["DATABASE_URL"], ping=published.STAMP))
    context.install(app, context.Kompass(manager, sessions, registry))
    CSRFProtect(app)
    default_locale = app.config["BABEL_DEFAULT_LOCALE"]
    babel = Babel(app, locale_selector=lambda: g.get("locale", default_locale))
    babel.domain_instance = recorded_catalogues.respondent_domain(
        Path(settings["QUESTIONNAIRES_DIR"]), i18n.tag_of, sessions
    )
    interface_text.install(app)
    app.register_blueprint(health.blueprint)
    i18n.install(app)
    commands.register(app)
    security.install(app)
    static_assets.install(app)
    busy.register(app)
    app.session_interface = FilesKeepTheCookie()
    Compress(app)  # HTML, CSS, JS and JSON as zstd, brotli or gzip (docs/security.md: BREACH)
    manager.hook.kompass_init_app(app=app)
    return app


def _flask_settings(settings: dict) -> dict:
    flask_settings = {f"KOMPASS_{key}": value for key, value in settings.items()}
    flask_settings.update(
        SECRET_KEY=settings["SECRET_KEY"],
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings["SESSION_MINUTES"]),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings["SECURE_COOKIES"],
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE=deployment.languages(settings["LABEL_LANGUAGES"])[0],
    )
    return flask_settings


def _trust_proxies(app: Flask, setting: str) -> None:
    """X-Forwarded-* are read only from the listed proxies and removed from anyone else."""
    app.wsgi_app = proxies.TrustedProxies(app.wsgi_app, proxies.parse(setting))
