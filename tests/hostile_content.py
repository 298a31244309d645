"""A questionnaire and interface catalogues full of hostile strings, and every page that shows
them: the respondent's sections and review, the staff profile and slip, the PDF and the CV."""

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import yaml
from babel.messages.pofile import read_po, write_po

import adminui.i18n
from engine.app.config import PROJECT_ROOT
from engine.app.factory import create_app
from engine.translation.catalogues import INTERFACE_FOLDER
from engine.translation.state import is_sidecar
from renderers import pdf, pdf_pool
from tests.conftest import TEST_SETTINGS, csrf_token, hidden, publish
from tests.helpers import add_person, log_in, make_code
from tests.staff_helpers import add_user, staff_login, token
from tests.translation_helpers import copy_tree

DUF = "202000000000"
ALLOWED = ' <b>bold</b> <em>em</em><br><a href="https://example.org/ok" target="_blank">link</a>'
HOSTILE = (
    " <script>alert(1)</script><img src=x onerror=alert(2)>"
    '<a href="javascript:alert(3)">js</a><a href="http://example.org/plain">http</a>'
    '<span style="color:red">styled</span><iframe src="https://example.org/frame"></iframe>'
    "</label></span></p><script>alert(4)</script>\" onmouseover=\"alert(5)' onfocus='alert(6)"
    "<svg onload=alert(7)><object data=x></object>"
)
INTERFACE_HOSTILE = ' <script>alert(8)</script><img src=x onerror=alert(9)>" onclick="alert(10)'
ALLOWED_HTML = [
    "<b>bold</b>",
    '<a href="https://example.org/ok" rel="noopener noreferrer">link</a>',
]
OWN_SCRIPTS = "/static/respondent/"
OWN_IMAGES = re.compile(
    r"/images/kompass/\d+/[0-9a-f]{64}\.svg|data:image/svg\+xml;base64,[\w+/=]+"
)
FORBIDDEN_TAGS = {"script", "iframe", "img", "svg", "object", "embed", "frame", "style"}


def hostile_tree(tmp_path: Path) -> Path:
    """A copy of the questionnaires folder with every text of every language made hostile."""
    root = copy_tree(tmp_path)
    for file in [
        *root.glob("kompass/1/translations/*.yaml"),
        *root.glob("codelists/translations/*.yaml"),
    ]:
        if is_sidecar(file):
            continue
        data = yaml.safe_load(file.read_text("utf-8"))
        for key, value in data.items():
            if key != "meta":
                data[key] = _poisoned(value)
        if "kompass" in file.parts:
            data["meta"]["name"] = f"{file.stem}<script>alert(11)</script>"
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return root


def _poisoned(value):
    if isinstance(value, dict):
        return {key: _poisoned(inner) for key, inner in value.items()}
    return f"{value}{ALLOWED}{HOSTILE}"


def poison_catalogue(po: Path) -> None:
    """Append hostile markup to every string of a `.po` file (read as it is, at run time)."""
    with po.open("rb") as stream:
        catalogue = read_po(stream)
    for message in catalogue:
        if message.id and isinstance(message.id, str):
            message.string = (message.string or message.id) + INTERFACE_HOSTILE
    with po.open("wb") as stream:
        write_po(stream, catalogue)


def hostile_files(tmp_path: Path) -> Path:
    """The hostile tree with a hostile English interface catalogue too."""
    root = hostile_tree(tmp_path)
    poison_catalogue(root / INTERFACE_FOLDER / "en.po")
    return root


def hostile_app(database_url: str, tmp_path: Path, monkeypatch):
    """The app on the hostile tree, version 1 published, with hostile en and nb catalogues."""
    root = hostile_files(tmp_path)
    app = create_app(
        {**TEST_SETTINGS, "DATABASE_URL": database_url, "QUESTIONNAIRES_DIR": str(root)}
    )
    staff = tmp_path / "staff-catalogues"
    shutil.copytree(PROJECT_ROOT / "adminui" / "translations", staff)
    poison_catalogue(staff / "nb" / "LC_MESSAGES" / "messages.po")
    monkeypatch.setattr(adminui.i18n.domain.catalogues, "folder", staff)
    monkeypatch.setattr(adminui.i18n.domain.catalogues, "_cache", {})
    publish(app, "kompass", 1)
    return app


def respondent_pages(app, client) -> dict[str, str]:
    """Every section (in English, Norwegian beside), a page with errors, and the review."""
    log_in(client, make_code(app.test_cli_runner(), DUF), DUF)
    questionnaire = _active(app)
    pages = {}
    for section in questionnaire.sections():
        pages[f"section {section.id}"] = client.get(f"/en/form/{section.id}?beside=nb").text
    add = _post(client, "education", {"action": "add:education"})
    entry = re.search(r'name="(q\.education\.0\.)_id"', add).group(1)
    wrong = {f"{entry}edu_start_year": "2010", f"{entry}edu_end_year": "2001",
             f"{entry}edu_status": "completed", "q.school_years": "many"}  # fmt: skip
    pages["section with errors"] = _post(client, "education", {"action": "next", **wrong})
    pages["review"] = client.get("/en/form/review?beside=nb").text
    return pages


def _post(client, section: str, form: dict) -> str:
    page = client.get(f"/en/form/{section}")
    data = {
        "csrf_token": csrf_token(page.text),
        "revision": hidden(page.text, "revision"),
        "shown": hidden(page.text, "shown"),
        **dict(re.findall(r'name="(q\.[a-z0-9_]+\.\d+\._id)" value="([^"]*)"', page.text)),
        **form,
    }
    return client.post(f"/en/form/{section}", data=data, follow_redirects=True).text


def _active(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        return state.registry.active(session)


def counsellor(app):
    add_user(app, "veileder", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    return client


def slip_page(client, person_id: int) -> str:
    """A new code's slip, printed in English and Norwegian (before the mapping is submitted)."""
    made = client.post(f"/admin/personer/{person_id}/koder", data={"csrf_token": token(client)})
    code = re.search(r'class="code">([A-Z2-9]{6})<', made.text).group(1)
    slip = client.post(
        f"/admin/personer/{person_id}/skriv-ut",
        data={"csrf_token": token(client), "code": code, "slip_lang": "en"},
    )
    return slip.text


def staff_pages(client, monkeypatch, person_id: int) -> tuple[dict[str, str], dict[str, bytes]]:
    """The person page, the profile, and the PDF and the CV with the HTML they were made of."""
    rendered = []
    real_render = pdf.render

    def render(html, base):
        rendered.append(html)
        return real_render(html, base)

    pool = pdf_pool.Pool(1, 60, pdf_pool.Kept(0), lambda: ThreadPoolExecutor(1), render=render)
    monkeypatch.setitem(client.application.extensions, pdf_pool.EXTENSION, pool)
    pages = {"person": client.get(f"/admin/personer/{person_id}").text}
    pages["profile"] = client.get(f"/admin/personer/{person_id}/kartlegging").text
    pdfs = {
        "mapping pdf": client.get(f"/admin/personer/{person_id}/kartlegging.pdf").data,
        "cv pdf": client.get(f"/admin/personer/{person_id}/cv.pdf").data,
    }
    pages["mapping pdf html"], pages["cv pdf html"] = rendered
    return pages, pdfs


def editor_pages(app) -> dict[str, str]:
    add_user(app, "redaktor", ["innholdsredaktor"], None)
    client = app.test_client()
    staff_login(client, "redaktor")
    pages = {"versions": client.get("/admin/innhold").text}
    pages["version"] = client.get("/admin/innhold/kompass/1").text
    for section in ("personal", "education", "language"):
        url = f"/admin/innhold/kompass/1/forhandsvisning?section={section}&lang=en&beside=ar"
        pages[f"preview {section}"] = client.get(url).text
    return pages


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _own_script(tag: str, attrs: dict) -> bool:
    """The app's own script file (kompass.js), which no text can name, or a picture of the
    questionnaire (engine/definition/media_images.py) addressed by its hash or inlined in the
    preview."""
    if tag == "img":
        return bool(OWN_IMAGES.fullmatch(attrs.get("src", "")))
    return tag == "script" and attrs.get("src", "").startswith(OWN_SCRIPTS)


def injected(html: str) -> list[str]:
    """Everything in `html` that a hostile text could have put there."""
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in FORBIDDEN_TAGS and not _own_script(tag, attrs):
            found.append(f"<{tag}>")
        found += [
            f"{name}= on <{tag}>" for name in attrs if name.startswith("on") or name == "style"
        ]
        href = attrs.get("href", "").strip().lower()
        if href.startswith(("javascript:", "http:", "//")) or (tag == "a" and "data:" in href):
            found.append(f"href {href}")
        if tag == "a" and "target" in attrs:
            found.append("target on <a>")
    return found


def add_respondent(app) -> int:
    return add_person(app, DUF)
