"""Every action the code writes to the audit log can be chosen in the audit log's filter."""

import re

from auth.staff import audit
from auth.staff.plugin import RESPONSE_ACTIONS
from engine.app.config import PROJECT_ROOT

RECORDED = re.compile(r'audit\.record\(\s*[^,]+,\s*"([a-z_.]+)"')
BY_HOOK = re.compile(r'action="([a-z_]+\.[a-z_.]+)"')  # kompass_command_done(..., action="...")


def test_every_recorded_action_is_listed():
    sources = [
        path.read_text("utf-8")
        for folder in ("adminui", "auth", "engine", "api")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
    ]
    recorded = {action for text in sources for action in RECORDED.findall(text)}
    recorded |= {action for text in sources for action in BY_HOOK.findall(text)}
    recorded |= set(RESPONSE_ACTIONS.values())
    assert {"person.view", "response.reopen", "export", "statistics.view"} <= recorded
    assert recorded <= set(audit.ACTIONS)
