"""A question type from outside the engine and the renderers: a rating from 1 to `points`,
each point a choice that may have a picture (`images: options.<question>.<point>`)."""
