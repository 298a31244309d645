"""Exports for analysts: tidy tables by questionnaire version, streamed, with a codebook."""
