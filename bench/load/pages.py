"""What both locustfiles need: a request with its expected statuses, and a hidden field."""

import re


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return found.group(1) if found else ""


class Page:
    """A request that must answer with one of the expected statuses, else it is an error."""

    def __init__(self, client):
        self.client = client

    def get(self, path: str, kind: str, expected=(200,)):
        return self._send("GET", path, kind, expected)

    def post(self, path: str, kind: str, data: dict, expected=(200, 302)):
        return self._send("POST", path, kind, expected, data=data)

    def _send(self, method, path, kind, expected, **kwargs):
        with self.client.request(
            method, path, name=kind, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code in expected:
                response.success()  # also an expected 4xx, say a refused log-in
            else:
                response.failure(f"{kind}: status {response.status_code}")
            return response
