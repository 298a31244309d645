"""axe-core in Chromium on every respondent page in every language, side by side, with errors
(in one language per script) and on every staff page: a WCAG 2.1 A/AA violation fails, and so
does a best-practice finding of moderate impact or worse.

axe-core comes from the axe-playwright-python package (no CDN); each browser context adds it to
every page it opens through the DevTools protocol (an init script: about 0.04 s a page where
evaluating it again on each page took 0.2 s), so the Content-Security-Policy stays as it is.

The languages outside `STATES_IN`, and the side-by-side pairs but one, are audited with
`TEXT_RULES` only (see there).
"""

import re
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import logged_in_by_cookie, respondent_log_in
from tests.helpers import add_person, make_code
from tests.staff_helpers import ACTORS, PASSWORD, add_user, build_world, current_code
from tests.test_kompass_questionnaire import LANGUAGES as OFFERED
from tests.test_permissions import CASES
from tests.test_profile import arabic_mapping

pytestmark = pytest.mark.browser

STYLESHEETS = Path(__file__).resolve().parents[2] / "renderers/html/static"
LANGUAGE_SELECTOR = re.compile(r":lang\(|:dir\(|\[lang|\[dir|\[xml:lang")
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
TOLERATED_BEST_PRACTICE = {"minor"}
# What can differ between two languages on the same page is its text, its lang attributes and
# its direction: the templates, the markup and the stylesheet are the same (no stylesheet has a
# rule for a language or a direction: `test_the_stylesheets_have_no_rule_for_one_language`). So
# the languages outside `STATES_IN` run only the rules of axe.getRules() (axe 4.12, the tags of
# AXE_OPTIONS, experimental ones left out as the tags leave them out) whose result depends on
# text, language or direction; every other rule (colour contrast, landmarks, lists, ARIA roles,
# structure) gives the same result on the same page in any language, and runs in full on every
# page in the `STATES_IN` languages (one per script and direction), side by side in ar+nb at
# both widths (`FULLY_AUDITED_PAIR`), and on every staff page. This took the audit of a page
# from 0.16-0.34 s to 0.03-0.11 s. An unknown id here makes axe.run throw, so a rule renamed by
# an axe upgrade cannot silently drop out.
TEXT_RULES = (
    # Names of controls, links, images and frames: empty or missing translated text.
    "area-alt", "aria-command-name", "aria-dialog-name", "aria-input-field-name",
    "aria-meter-name", "aria-progressbar-name", "aria-tab-name", "aria-toggle-field-name",
    "aria-tooltip-name", "aria-treeitem-name", "button-name", "frame-title",
    "frame-title-unique", "image-alt", "image-redundant-alt", "input-button-name",
    "input-image-alt", "label", "link-name", "object-alt", "role-img-alt", "select-name",
    "summary-name", "svg-img-alt",
    # Texts that must not be empty or repeated: the title, headings, landmarks' and tables' names.
    "document-title", "empty-heading", "empty-table-header", "landmark-unique",
    "table-duplicate-name",
    # The language of the page and of each part in another language.
    "html-has-lang", "html-lang-valid", "html-xml-lang-mismatch", "valid-lang",
    # Ids that labels and ARIA point to: texts present in one language only (a hint, a note).
    "duplicate-id-aria", "aria-valid-attr-value",
    # A longer text or the other direction can make a region scroll.
    "scrollable-region-focusable",
)  # fmt: skip
TEXT_AXE_OPTIONS = {
    "runOnly": {"type": "rule", "values": list(TEXT_RULES)},
    "resultTypes": ["violations"],
}
LANGUAGES = tuple(sorted(OFFERED))  # every translation file: a new language is audited too
# Error and follow-up states in one language of each script and direction (Latin, Arabic
# script right to left, Ge'ez, Cyrillic); every page in every language.
STATES_IN = ("en", "ar", "fa", "ti", "uk")
# Each script and direction beside a Latin one, wide and narrow: Arabic script right to left
# (ar at both widths, ckb), Ge'ez (ti wide, am narrow), Cyrillic (uk).
SIDE_BY_SIDE = (
    ("ar", "nb", 1280), ("ti", "en", 1280), ("ckb", "en", 1280),
    ("ar", "nb", 360), ("uk", "nb", 1280), ("am", "en", 360),
)  # fmt: skip
FULLY_AUDITED_PAIR = ("ar", "nb")
NEXT = "button[value=next]:not(.default-action)"
FILES = re.compile(r"\.(csv|xlsx|pdf|css)(\?|$)")
NOT_PAGES = {"adminui.export_download", "adminui.static"}


class Auditor:
    """Runs axe on pages and keeps every finding that fails, named by where it was found."""

    def __init__(self, options: dict = AXE_OPTIONS):
        self.options = options
        self.failures: list[str] = []
        self.pages = 0

    def __call__(self, page, where: str) -> None:
        page.wait_for_load_state()
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)
        results = page.evaluate("options => axe.run(document, options)", self.options)
        self.pages += 1
        for violation in results["violations"]:
            wcag = any(tag.startswith("wcag") for tag in violation["tags"])
            if wcag or violation["impact"] not in TOLERATED_BEST_PRACTICE:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
                self.failures.append(
                    f"{where}: {violation['id']} ({violation['impact']}) at {targets}"
                )

    def check(self) -> None:
        assert self.pages, "no page was audited"
        assert not self.failures, "\n".join(self.failures)


@pytest.fixture
def audit():
    return Auditor()


@pytest.fixture
def new_page(browser, live_server):
    """Pages with axe-core in them, in a fresh browser context each (own cookies)."""
    contexts = []

    def make(width: int = 360):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, base_url=live_server
        )
        context.add_init_script(AXE_SOURCE)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def next_page(page) -> str:
    """Click Next and wait for the page it leads to; returns its last path part."""
    with page.expect_navigation():
        page.click(NEXT)
    return page.url.rsplit("/", 1)[-1]


def test_the_language_list_passes(app, new_page, audit):
    for width in (360, 1280):
        page = new_page(width)
        page.goto("/")
        audit(page, f"start page, {width} px")
    audit.check()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_respondent_page_passes_in_every_language(app, runner, new_page, lang):
    """A test per language, so the test processes share the languages out; the full rule set in
    `STATES_IN`, the rules that depend on text, language and direction in the others."""
    audit = Auditor(AXE_OPTIONS if lang in STATES_IN else TEXT_AXE_OPTIONS)
    duf = f"2020000001{LANGUAGES.index(lang):02d}"
    _one_language(new_page(), audit, lang, duf, make_code(runner, duf))
    audit.check()


def test_the_stylesheets_have_no_rule_for_one_language():
    """What `TEXT_RULES` leaves out is the same in every language only while no style of the
    respondent's pages depends on the page's language or direction."""
    sheets = sorted(STYLESHEETS.glob("*.css"))
    assert {"kompass.css", "fonts.css"} <= {sheet.name for sheet in sheets}
    for sheet in sheets:
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text("utf-8"), flags=re.S)
        assert not LANGUAGE_SELECTOR.findall(css), sheet.name


def _one_language(page, audit, lang: str, duf: str, code: str) -> None:
    """Every page in `lang`; its error and follow-up states too in one language per script."""
    states = lang in STATES_IN
    page.goto(f"/{lang}/login")
    audit(page, f"{lang} login")
    if states:
        respondent_log_in(page, lang, duf, "AAAAAA")
        expect(page.locator(".error-message")).to_be_visible()
        audit(page, f"{lang} login error")
    respondent_log_in(page, lang, duf, code)
    expect(page).to_have_url(re.compile(rf"/{lang}/kompass/form/personal$"))
    audit(page, f"{lang} personal")
    if states:
        next_page(page)
        expect(page.locator(".error-summary")).to_be_visible()
        audit(page, f"{lang} personal with errors")
    page.select_option("select[name='q.citizenship']", "ER")
    page.select_option("select[name='q.mother_tongue']", "other")  # shows its follow-up at once
    page.fill("input[name='q.mother_tongue_other']", "Kunama")
    if states:
        audit(page, f"{lang} personal with Other language")
    assert next_page(page) == "education"
    audit(page, f"{lang} education")
    if states:
        _education_entry_with_errors(page, audit, lang)
    while (shown := next_page(page)) != "review":
        audit(page, f"{lang} {shown}")
    audit(page, f"{lang} review")
    if states:
        _change_one_answer(page, audit, lang)
    with page.expect_navigation():
        page.locator("form[action$='/submit'] button").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/kompass/form/receipt$"))
    audit(page, f"{lang} receipt")
    if states:
        page.fill("#cv-contact-phone", "12")
        with page.expect_navigation():
            page.locator("#cv-contact button[value=add]").click()
        expect(page.locator("#cv-contact .error-summary")).to_be_focused()
        audit(page, f"{lang} receipt with a wrong phone number")
    for name in ("accessibility", "privacy"):
        with page.expect_navigation():
            page.locator(f"footer a[href='/{lang}/{name}']").click()
        audit(page, f"{lang} {name}")


def _change_one_answer(page, audit, lang: str) -> None:
    """The page with one question, and the check-answers page it returns to, focused there."""
    with page.expect_navigation():
        page.locator("a[href$='/form/change/citizenship']").click()
    audit(page, f"{lang} change one answer")
    next_page(page)
    expect(page.locator("#answer-citizenship")).to_be_focused()
    audit(page, f"{lang} review after a change")


def _education_entry_with_errors(page, audit, lang: str) -> None:
    with page.expect_navigation():
        page.locator("button[value='add:education']").click()
    page.fill("input[name='q.education.0.edu_start_year']", "2012")
    page.locator("input[name='q.education.0.edu_status'][value=completed]").check()
    page.fill("input[name='q.education.0.edu_end_year']", "2010")
    next_page(page)
    expect(page.locator(".error-summary")).to_be_visible()
    audit(page, f"{lang} education entry with errors")
    page.fill("input[name='q.education.0.edu_end_year']", "2016")


@pytest.mark.parametrize(("lang", "beside", "width"), SIDE_BY_SIDE)
def test_side_by_side_pages_pass(app, live_server, new_page, lang, beside, width):
    """A test per pair and width, so the test processes share them out. Ar+nb, at each width,
    has the full rule set; the other pairs show the same pages with other texts, languages and
    directions, so they run `TEXT_RULES` (the reason is there)."""
    audit = Auditor(AXE_OPTIONS if (lang, beside) == FULLY_AUDITED_PAIR else TEXT_AXE_OPTIONS)
    page = new_page(width)
    logged_in_by_cookie(page.context, live_server, app, "202000000200", lang)
    where = f"{lang}+{beside} {width} px"
    page.goto(f"/{lang}/form/personal?beside={beside}")
    audit(page, f"{where} personal")
    next_page(page)
    expect(page.locator(".error-summary")).to_be_visible()
    audit(page, f"{where} personal with errors")
    page.select_option("select[name='q.citizenship']", "SY")
    page.select_option("select[name='q.mother_tongue']", "ar")
    next_page(page)
    with page.expect_navigation():
        page.locator("button[value='add:education']").click()
    audit(page, f"{where} education with an entry")
    while (shown := next_page(page)) != "review":
        audit(page, f"{where} {shown}")
    audit(page, f"{where} review")
    _stale_page(page, audit, lang, where)
    page.goto(f"/{lang}/form/review")
    with page.expect_navigation():
        page.locator("form[action$='/submit'] button").click()
    audit(page, f"{where} after sending")
    audit.check()


def _stale_page(page, audit, lang: str, where: str) -> None:
    """A second tab saves first; the first tab's Next shows what it typed beside the newest."""
    page.goto(f"/{lang}/form/wishes")
    other = page.context.new_page()
    other.goto(f"/{lang}/form/wishes")
    other.fill("textarea[name='q.wished_work']", "Snekker")
    next_page(other)
    other.close()
    page.fill("textarea[name='q.wished_work']", "Sykepleier")
    next_page(page)
    expect(page.locator(".not-saved")).to_be_visible()
    audit(page, f"{where} stale page")


def staff_log_in(page, app, username: str, audit=None) -> None:
    """Log in; `audit` also checks the code page, for a user who has a second factor."""
    page.goto("/admin/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if page.url.endswith("/admin/login/kode"):
        if audit is not None:
            audit(page, f"{username} code page")
        page.fill("#code", current_code(app, username))
        page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/admin/login"))


def post_from_page(page, path: str, data: dict) -> None:
    """Post a form the way the page would, with its CSRF token (no inline script needed)."""
    with page.expect_navigation():
        page.evaluate(
            """([path, data]) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = path;
            const fields = {csrf_token: document.querySelector('[name=csrf_token]').value, ...data};
            for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement('input');
                input.type = 'hidden';
                input.name = name;
                input.value = value;
                form.append(input);
            }
            document.body.append(form);
            form.submit();
        }""",
            [path, data],
        )


def staff_cases(actor: str, done: set) -> list[tuple]:
    """The permission matrix's pages this actor may see and nobody audited yet."""
    found = []
    for endpoint, method, path, data, expected in CASES:
        status = expected[actor]
        if endpoint in NOT_PAGES or FILES.search(path) or (endpoint, path) in done:
            continue
        if (method == "GET" and status == 200) or (method == "POST" and status < 403):
            found.append((endpoint, method, path, data))
    return found


def staff_cases_all() -> set[tuple[str, str]]:
    """Every page of the matrix that answers with HTML."""
    return {(e, p) for e, _, p, _, _ in CASES if e not in NOT_PAGES and not FILES.search(p)}


def test_every_staff_page_passes(app, new_page, audit):
    world = build_world(app)
    counsellor_id = world.user_bergen
    arabic_mapping(app, world.settled_bergen, counsellor_id)
    ids = vars(world)
    page = new_page(1280)
    page.goto("/admin/login")
    audit(page, "staff login")
    page.fill("#username", "nobody")
    page.fill("#password", "wrong")
    page.locator("main form button[type=submit]").click()
    audit(page, "staff login error")
    done: set = set()
    for actor in ACTORS:
        page = new_page(1280)
        staff_log_in(page, app, world.actors[actor], audit if actor == "systemadmin" else None)
        audit(page, f"{actor} home")
        for endpoint, method, path, data in staff_cases(actor, done):
            done.add((endpoint, path))
            url = path.format(**ids)
            if method == "GET":
                page.goto(url)
            else:
                post_from_page(page, url, {k: v.format(**ids) for k, v in data.items()})
            audit(page, f"{actor} {method} {endpoint}")
        page.goto("/admin/finnes-ikke")
        audit(page, f"{actor} not found")
    html_pages = {e for e, m, p, _, _ in CASES if m == "GET" and (e, p) in staff_cases_all()}
    assert html_pages <= {endpoint for endpoint, _ in done}
    audit.check()


def test_the_enrolment_page_passes(app, new_page, audit):
    add_user(app, "admin", ["kommuneadmin"], enrolled=False)
    page = new_page()
    staff_log_in(page, app, "admin")
    expect(page).to_have_url(re.compile(r"/admin/tofaktor$"))
    audit(page, "enrolment, 360 px")
    page.fill("#code-enrol", "000000")
    page.locator("main form button[type=submit]").click()
    audit(page, "enrolment with a wrong code, 360 px")
    audit.check()


def test_person_page_with_a_new_code_the_slip_and_interview_pass(app, new_page, audit):
    world = build_world(app)
    person = add_person(app, "202000000000")
    page = new_page()
    staff_log_in(page, app, world.actors["bosetting"])
    page.goto(f"/admin/personer/{person}")
    page.get_by_role("button", name="+ Lag ny kode").click()
    audit(page, "person page with a new code, 360 px")
    with page.context.expect_page() as slip:
        page.locator(".new-code button[type=submit]").click()
    audit(slip.value, "print slip")
    page.goto(f"/admin/personer/{person}")
    page.locator("form.interview button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kompass/form/personal$"))
    audit(page, "interview, personal")
    page.goto(page.url.replace("/personal", "/assessment"))
    audit(page, "interview, counsellor's assessment")
    audit.check()


def test_pages_with_pictures_pass(app, live_server, new_page, audit):
    """The licence section with its 15 class pictures and the digital section, alone and side
    by side, on a phone and a wide screen (pictures: engine/definition/media_images.py)."""
    for index, (lang, beside, width) in enumerate(
        (("ar", "", 360), ("ti", "", 360), ("nb", "", 360), ("ar", "nb", 360), ("ti", "en", 1280))
    ):
        page = new_page(width)
        logged_in_by_cookie(page.context, live_server, app, f"2020000005{index:02d}", lang)
        page.goto(f"/{lang}/form/licence?beside={beside}")
        page.locator("input[name='q.has_licence'][value='yes']").check()
        next_page(page)
        page.goto(f"/{lang}/form/licence")
        expect(page.locator("main img")).to_have_count(16 * (2 if beside else 1))
        audit(page, f"{lang}+{beside or '-'} {width} px licence with pictures")
        page.goto(f"/{lang}/form/digital")
        audit(page, f"{lang}+{beside or '-'} {width} px digital with pictures")
        page.context.close()
    audit.check()


def test_pages_with_audio_pass(app, live_server, new_page, audit):
    """The demo's machine speech: Listen controls in one language and side by side."""
    for index, (lang, beside, width) in enumerate((("nb", None, 360), ("ar", "nb", 1280))):
        page = new_page(width)
        logged_in_by_cookie(page.context, live_server, app, f"2020000003{index:02d}", lang)
        page.goto(f"/{lang}/form/personal" + (f"?beside={beside}" if beside else ""))
        expect(page.locator("h1 + .listen-row audio").first).to_be_visible()
        audit(page, f"{lang}+{beside} {width} px personal with audio")
    audit.check()


def test_follow_ups_removed_entries_and_review_links_pass(app, live_server, new_page, audit):
    """The pages issue 16 changed: follow-ups shown, an entry removed, the review's links."""
    for index, lang in enumerate(("ar", "ti", "nb")):
        page = new_page()
        logged_in_by_cookie(page.context, live_server, app, f"2020000004{index:02d}", lang)
        page.goto(f"/{lang}/form/review")
        with page.expect_navigation():
            page.locator("form[action$='/submit'] button").click()
        expect(page.locator(".error-summary a").first).to_be_visible()
        audit(page, f"{lang} review with links to missing answers")
        page.goto(f"/{lang}/form/licence")
        audit(page, f"{lang} licence, follow-ups hidden")
        page.locator("input[name='q.has_licence'][value=yes]").check()
        expect(page.locator("#q-licence_categories")).to_be_visible()
        audit(page, f"{lang} licence, follow-ups shown")
        page.goto(f"/{lang}/form/education")
        for _ in range(2):
            with page.expect_navigation():
                page.locator("button[value='add:education']").click()
        audit(page, f"{lang} education, entry added")
        with page.expect_navigation():
            page.locator("#q-education-0 button[value^='remove:']").click()
        expect(page.locator("[role=status]")).not_to_be_empty()
        audit(page, f"{lang} education, entry removed")
        page.context.close()
    audit.check()
