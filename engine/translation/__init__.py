"""The engine's translation files, interface catalogues and the translators' exchange."""
