"""The engine's editors' files read and checked into the typed tree."""
