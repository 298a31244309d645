"""The engine's the Flask app, settings, database, plugins, command line and serving."""
