"""Request limits: the body size (MAX_CONTENT_LENGTH) and the number of form fields.

Werkzeug counts only the parts of a multipart form (MAX_FORM_PARTS); an urlencoded body of
100,000 tiny fields was parsed in full. This request class counts those fields too; anything
over a limit is a 413, which each plugin shows as a translated page.
"""

from flask import Flask, Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser


class FieldCountingParser(FormDataParser):
    """Refuses a form of any encoding with more fields than `max_form_parts`."""

    def parse(self, stream, mimetype, content_length, options=None):
        parsed = super().parse(stream, mimetype, content_length, options)
        form = parsed[1]
        if self.max_form_parts is not None and _field_count(form) > self.max_form_parts:
            raise RequestEntityTooLarge()
        return parsed


class LimitedRequest(Request):
    form_data_parser_class = FieldCountingParser


def install(app: Flask, max_body_bytes: int, max_fields: int) -> None:
    app.request_class = LimitedRequest
    app.config.update(
        MAX_CONTENT_LENGTH=max_body_bytes,
        MAX_FORM_MEMORY_SIZE=max_body_bytes,
        MAX_FORM_PARTS=max_fields,
    )


def _field_count(form) -> int:
    return sum(len(values) for _, values in form.lists())
