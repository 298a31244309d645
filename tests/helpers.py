"""Helpers for tests that walk the respondent's journey with Flask's test client."""

import re

from tests.conftest import csrf_token, hidden


def make_code(runner, duf: str = "202000000000") -> str:
    result = runner.invoke(args=["codes", "create", "--duf", duf])
    assert result.exit_code == 0, result.output
    return re.search(r"Code: ([A-Z0-9]{6})", result.output).group(1)


def log_in(client, code: str, duf: str = "202000000000", lang: str = "en"):
    page = client.get(f"/{lang}/login")
    return client.post(
        f"/{lang}/login",
        data={"csrf_token": csrf_token(page.text), "duf": duf, "code": code},
    )


def post_section(client, lang: str, section: str, answers: dict, action: str = "next"):
    """Post a section page as the browser would: with its token, revision and shown ids."""
    page = client.get(f"/{lang}/form/{section}")
    data = {
        "csrf_token": csrf_token(page.text),
        "revision": hidden(page.text, "revision"),
        "shown": hidden(page.text, "shown"),
        "action": action,
        **answers,
    }
    return client.post(f"/{lang}/form/{section}", data=data)


def error_messages(html: str) -> list[str]:
    return re.findall(r'<div class="error-message"[^>]*><p>([^<]*)</p>', html)
