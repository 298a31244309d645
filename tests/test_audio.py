"""Audio clips of questionnaire texts: checked, frozen at publish, served by hash, uploaded by
content editors to drafts only, and shown as a named "Listen" control next to each text."""

import io
import re

import pytest
from sqlalchemy import select

from auth.staff.models import AuditEvent
from engine.app import plugins
from engine.definition import audio
from engine.definition.errors import QuestionnaireError
from engine.questionnaire.validation import Problem
from engine.versions import diff, frozen, publishing
from renderers.html import fields
from tests.conftest import publish
from tests.staff_helpers import add_user, staff_login, token
from tests.translation_helpers import app_on_copy

MP3 = (b"\xff\xfb\x90\x00" + bytes(413)) * 40  # 40 MPEG-1 layer III frames of silence, ~1 s
TITLE = "sections.personal.title"


def types():
    return plugins.question_types(plugins.make_plugin_manager())


def load(tree, version: int = 1):
    return publishing.load_from_files(tree, "kompass", version, types())


def errors_of(tree) -> list:
    with pytest.raises(QuestionnaireError) as caught:
        load(tree)
    return caught.value.errors


def clip_bytes(tree, lang: str = "nb", path: str = TITLE) -> bytes:
    return audio.target(tree / "kompass" / "1", lang, path, ".ogg").read_bytes()


def put(tree, lang: str, name: str, data: bytes, version: int = 1):
    target = tree / "kompass" / str(version) / audio.FOLDER / lang / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


# --- the check ---------------------------------------------------------------------------------


def test_the_demo_clips_load_and_are_marked_machine_speech(tree):
    questionnaire = load(tree)
    clip = questionnaire.audio["ar"][TITLE]
    assert clip.type == "audio/ogg" and clip.machine and 0 < clip.seconds < 20
    assert {"ar", "nb", "en"} <= set(questionnaire.audio) and "ti" not in questionnaire.audio


def test_a_clip_of_a_text_that_does_not_exist_is_named_with_its_path(tree):
    put(tree, "nb", "questions.nonexistent.label.ogg", clip_bytes(tree))
    [error] = errors_of(tree)
    assert error.code == "audio-unknown-text" and error.path == "questions.nonexistent.label"
    assert error.file.name == "questions.nonexistent.label.ogg"


def test_a_clip_whose_text_is_missing_in_its_language_is_an_error(tree):
    file = tree / "kompass" / "1" / "translations" / "ti.yaml"
    text = file.read_text("utf-8")
    file.write_text(re.sub(r"(?m)^  personal:\n    title: .*\n", "  personal:\n", text), "utf-8")
    put(tree, "ti", f"{TITLE}.ogg", clip_bytes(tree))
    [error] = errors_of(tree)
    assert error.code == "audio-missing-text" and error.path == TITLE and "ti" in error.message


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        (f"{TITLE}.ogg", MP3, "not Ogg Opus"),
        (f"{TITLE}.mp3", b"OggS" + bytes(100), "not MP3"),
        (f"{TITLE}.mp3", b"\xff\xfb" + b"x" * 100, "cannot be read"),
        (f"{TITLE}.wav", b"RIFF" + bytes(100), "must end in .ogg or .mp3"),
        (f"{TITLE}.ogg", b"OggS\x00\x02" + bytes(58) + bytes(audio.MAX_BYTES), "at most"),
    ],
)
def test_a_clip_in_a_wrong_format_or_too_large_is_refused(tree, name, data, says):
    (tree / "kompass" / "1" / "audio" / "nb" / f"{TITLE}.ogg").unlink()
    put(tree, "nb", name, data)
    [error] = errors_of(tree)
    assert error.code == "audio-bad-file" and error.path == TITLE and says in error.message


def test_a_clip_that_is_too_long_is_refused(tree, monkeypatch):
    monkeypatch.setattr(audio, "MAX_SECONDS", 1)
    errors = errors_of(tree)
    assert errors and {e.code for e in errors} == {"audio-bad-file"}
    assert all("at most 1 s" in e.message for e in errors)


def test_an_mp3_clip_is_accepted_and_two_clips_of_one_text_are_an_error(tree):
    put(tree, "nb", "sections.personal.intro.mp3", MP3)
    (tree / "kompass" / "1" / "audio" / "nb" / "sections.personal.intro.ogg").unlink()
    assert load(tree).audio["nb"]["sections.personal.intro"].type == "audio/mpeg"
    put(tree, "nb", f"{TITLE}.mp3", MP3)
    [error] = errors_of(tree)
    assert error.code == "audio-duplicate" and error.path == TITLE


def test_a_clip_outside_a_language_folder_is_an_error(tree):
    put(tree, "xx", f"{TITLE}.ogg", clip_bytes(tree))
    [error] = errors_of(tree)
    assert error.code == "audio-misplaced" and "nb" in error.message


# --- freezing ----------------------------------------------------------------------------------


def test_a_clip_is_frozen_by_hash_and_changes_the_fingerprint(tree):
    before = frozen.freeze(load(tree))
    entry = before["content"]["audio"]["nb"][TITLE]
    assert entry["hash"] == audio.digest(clip_bytes(tree)) and entry["machine"] is True
    put(tree, "nb", f"{TITLE}.ogg", clip_bytes(tree, "nb", "sections.personal.intro"))
    after = frozen.freeze(load(tree))
    assert frozen.fingerprint(after) != frozen.fingerprint(before)
    assert frozen.thaw(after, types()).audio["nb"][TITLE].hash == audio.digest(
        clip_bytes(tree, "nb", "sections.personal.intro")
    )


def test_the_file_hashes_name_each_clip_so_a_changed_clip_is_a_changed_file(tree):
    directory = tree / "kompass" / "1"
    hashes = frozen.file_hashes(directory)
    assert f"audio/nb/{TITLE}.ogg" in hashes
    put(tree, "nb", f"{TITLE}.ogg", MP3[:0] + clip_bytes(tree, "ar"))
    assert frozen.changed_files(directory, hashes) == [f"audio/nb/{TITLE}.ogg"]


# --- serving -----------------------------------------------------------------------------------


def clip_urls(page: str) -> list[str]:
    return re.findall(r'<source src="(/audio/[^"]+)" type="audio/ogg">', page)


def test_a_section_page_names_each_control_and_its_clip_is_served_for_a_year(logged_in):
    page = logged_in.get("/nb/form/personal").text
    assert re.search(
        r'<audio controls preload="none" aria-label="Lytt: Personopplysninger">'
        r'<source src="/audio/kompass/1/[0-9a-f]{64}\.ogg" type="audio/ogg"></audio>',
        page,
    )
    assert "Lyden på dette språket er maskintale" in page
    answer = logged_in.get(clip_urls(page)[0])
    assert answer.status_code == 200 and answer.mimetype == "audio/ogg"
    assert answer.data[:4] == b"OggS" and b"OpusHead" in answer.data[:64]
    assert answer.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert "media-src 'self'" in answer.headers["Content-Security-Policy"]


def test_side_by_side_both_languages_have_their_control_named_in_the_page_language(logged_in):
    page = logged_in.get("/ar/form/personal?beside=nb").text
    assert 'aria-label="استمع: البيانات الشخصية"' in page
    assert 'aria-label="استمع: Personopplysninger"' in page


def test_the_progress_list_has_no_control_inside_its_links(logged_in):
    page = logged_in.get("/nb/form/personal").text
    progress = page.split('<nav class="progress"', 1)[1].split("</nav>", 1)[0]
    assert "<audio" not in progress


def test_an_unknown_hash_or_a_wrong_extension_is_not_found(logged_in):
    url = clip_urls(logged_in.get("/nb/form/personal").text)[0]
    assert logged_in.get(url.replace(".ogg", ".mp3")).status_code == 404
    assert logged_in.get(re.sub(r"[0-9a-f]{64}", "0" * 64, url)).status_code == 404
    assert logged_in.get(url.replace("/kompass/1/", "/kompass/2/")).status_code == 404
    assert logged_in.get(url.replace("/kompass/1/", "/kompass/99999999999/")).status_code == 404
    assert logged_in.get(url.replace("/kompass/1/", f"/{'k' * 300}/1/")).status_code == 404


def test_a_drafts_clip_is_never_served(published_database_url, tree):
    app = app_on_copy(published_database_url, tree)
    publishing.new_version(tree, "kompass")
    data = clip_bytes(tree, "ar")
    put(tree, "nb", f"{TITLE}.ogg", data, version=2)
    client = app.test_client()
    digest = audio.digest(data)
    assert client.get(f"/audio/kompass/2/{digest}.ogg").status_code == 404
    publish(app, "kompass", 2)
    assert client.get(f"/audio/kompass/2/{digest}.ogg").status_code == 200


def test_an_error_message_with_a_clip_has_its_control_in_both_languages(app, tree):
    put(tree, "en", "messages.end_before_start.ogg", clip_bytes(tree, "en"))
    put(tree, "nb", "messages.end_before_start.ogg", clip_bytes(tree, "nb"))
    state = fields.PageState(load(tree), {}, {}, [], "en", "nb")
    own = Problem(("education", 0, "end_year"), "rule", message_key="end_before_start")
    default = Problem(("school_years",), "too_large", {"limit": 30})
    with app.test_request_context():
        message = state.message(own)
        assert message.first.listen.text.startswith("The year you stopped")
        assert message.first.listen.clip.lang == "en" and message.second.listen.clip.lang == "nb"
        assert state.message(default).first.listen is None


# --- the content editor ------------------------------------------------------------------------


@pytest.fixture
def editor_app(published_database_url, tree):
    app = app_on_copy(published_database_url, tree)
    publishing.new_version(tree, "kompass")
    return app


def login(app, username: str, roles: list[str], municipality: str | None = None):
    add_user(app, username, roles, municipality)
    client = app.test_client()
    staff_login(client, username)
    return client


def upload(client, version: int, name: str, data: bytes, lang="nb", text=TITLE, csrf=True):
    form = {"lang": lang, "text": text, "file": (io.BytesIO(data), name)}
    if csrf:
        form["csrf_token"] = token(client)
    return client.post(
        f"/admin/innhold/kompass/{version}/lyd", data=form, content_type="multipart/form-data"
    )


def audio_events(app) -> list[AuditEvent]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == "questionnaire.audio")
        return list(session.scalars(query))


def test_an_editor_uploads_a_clip_to_a_draft_and_it_is_audited(editor_app, tree):
    client = login(editor_app, "editor", ["innholdsredaktor"])
    answer = upload(client, 2, "speech.mp3", MP3)
    assert answer.status_code == 303
    folder = tree / "kompass" / "2" / "audio" / "nb"
    assert (folder / f"{TITLE}.mp3").read_bytes() == MP3
    assert not (folder / f"{TITLE}.ogg").exists()
    [event] = audio_events(editor_app)
    assert event.actor_username == "editor"
    assert event.details == {"questionnaire": "kompass", "version": 2, "language": "nb",
                             "text": TITLE, "hash": audio.digest(MP3)}  # fmt: skip
    page = client.get(answer.location).text
    assert "Lydfila er lagret i utkastet" in page


def test_the_translation_status_counts_texts_with_and_without_audio(editor_app):
    client = login(editor_app, "editor", ["innholdsredaktor"])
    page = client.get("/admin/innhold/kompass/1").text
    table = page.split('id="lyd"', 1)[1]
    row = re.search(r"\(ar\)</th><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>", table)
    with_audio, without, machine = map(int, row.groups())
    assert with_audio == 13 and machine == 13 and without > 100  # 5 of them interface strings
    ti = re.search(r"\(ti\)</th><td[^>]*>(\d+)</td>", table)
    assert ti.group(1) == "0"


def test_a_published_version_refuses_an_upload(editor_app, tree):
    client = login(editor_app, "editor", ["innholdsredaktor"])
    answer = upload(client, 1, "speech.mp3", MP3)
    assert answer.status_code == 409 and not (tree / "kompass/1/audio/nb" / f"{TITLE}.mp3").exists()
    assert audio_events(editor_app) == []


@pytest.mark.parametrize(
    ("name", "data", "text", "status"),
    [
        ("speech.ogg", MP3, TITLE, 422),
        ("speech.mp3", MP3, "questions.nonexistent.label", 422),
        ("speech.mp3", MP3, "../../../etc/x", 422),
    ],
)
def test_a_bad_upload_is_refused_with_a_message(editor_app, tree, name, data, text, status):
    client = login(editor_app, "editor", ["innholdsredaktor"])
    answer = upload(client, 2, name, data, text=text)
    assert answer.status_code == status and 'role="alert"' in answer.text
    assert audio_events(editor_app) == []
    assert not list((tree / "kompass" / "2" / "audio" / "nb").glob("*.mp3"))


def test_an_upload_without_a_csrf_token_is_refused(editor_app, tree):
    client = login(editor_app, "editor", ["innholdsredaktor"])
    assert upload(client, 2, "speech.mp3", MP3, csrf=False).status_code == 400
    assert audio_events(editor_app) == []


def test_only_content_editors_may_upload(editor_app, tree):
    client = login(editor_app, "settler", ["bosetting"], "4601")
    assert upload(client, 2, "speech.mp3", MP3).status_code in (403, 404)
    assert audio_events(editor_app) == []
    assert not (tree / "kompass" / "2" / "audio" / "nb" / f"{TITLE}.mp3").exists()


def test_an_upload_over_the_size_limit_is_refused(editor_app, monkeypatch):
    monkeypatch.setattr(audio, "MAX_BYTES", 1000)
    client = login(editor_app, "editor", ["innholdsredaktor"])
    answer = upload(client, 2, "speech.mp3", MP3)
    assert answer.status_code == 422 and "at most 1000" in answer.text


def test_the_diff_lists_a_replaced_and_a_removed_clip(tree):
    before = frozen.freeze(load(tree))
    put(tree, "nb", f"{TITLE}.ogg", clip_bytes(tree, "ar"))
    (tree / "kompass" / "1" / "audio" / "nb" / "title.ogg").unlink()
    changes = diff.diff(before, frozen.freeze(load(tree)))
    assert [(c.kind, c.what, c.subject) for c in changes] == [
        ("changed", "audio", f"audio nb {TITLE}"),
        ("removed", "audio", "audio nb title"),
    ]
