"""Spoken interface strings (`interface_texts:`): their clips are checked against the declared
keys and each language's catalogue, frozen with the version, and played on the start and
log-in pages in the language shown, named there and marked as machine speech."""

import re

from engine.definition import audio, questionnaire_check
from engine.versions import frozen, publishing
from tests.test_audio import MP3, audio_events, errors_of, load, login, put, upload
from tests.translation_helpers import app_on_copy
from tools.speak_demo import VOICES

LOG_IN = "interface.log_in"
YEAR = "private, max-age=31536000, immutable"


def clip_file(tree, lang: str = "ar", path: str = LOG_IN):
    return audio.target(tree / "kompass" / "1", lang, path, ".ogg")


def untranslate(tree, lang: str, msgid: str) -> None:
    """Empty the translation of `msgid` in the language's interface catalogue."""
    file = tree / "interface" / f"{lang}.po"
    text = file.read_text("utf-8")
    pattern = rf'(?m)^msgid "{re.escape(msgid)}"\nmsgstr ".*"$'
    assert re.search(pattern, text), msgid
    file.write_text(re.sub(pattern, f'msgid "{msgid}"\nmsgstr ""', text), "utf-8")


# --- the check ---------------------------------------------------------------------------------


def test_every_voiced_language_has_machine_speech_for_each_declared_string(tree):
    questionnaire = load(tree)
    declared = set(questionnaire.source.interface_texts)
    assert {"choose_language", "log_in", "log_in_help", "duf_number", "your_code"} <= declared
    assert {"uk", "am"} <= set(VOICES)
    for lang in VOICES:
        clips = {p: c for p, c in questionnaire.audio[lang].items() if p.startswith("interface.")}
        assert set(clips) == {f"interface.{key}" for key in declared}, lang
        assert all(clip.machine and clip.type == "audio/ogg" for clip in clips.values())
        assert "sections.personal.title" in questionnaire.audio[lang]  # uk and am too
    assert "ti" not in questionnaire.audio


def test_a_clip_of_an_undeclared_interface_string_is_named_with_its_path(tree):
    put(tree, "ar", "interface.sign_up.ogg", clip_file(tree).read_bytes())
    [error] = errors_of(tree)
    assert error.code == "audio-unknown-interface-text" and error.path == "interface.sign_up"
    assert error.file == clip_file(tree, "ar", "interface.sign_up")
    assert "interface_texts" in error.message


def test_a_clip_whose_catalogue_lacks_the_string_is_named_with_its_path(tree):
    untranslate(tree, "ar", "Log in")
    [error] = errors_of(tree)
    assert error.code == "audio-missing-interface-text" and error.path == LOG_IN
    assert error.file == clip_file(tree) and "interface/ar.po" in error.message


def test_a_clip_in_a_language_without_a_voice_is_accepted_when_its_catalogue_has_the_string(
    tree,
):
    put(tree, "ti", "interface.log_in.mp3", MP3)
    assert load(tree).audio["ti"][LOG_IN].type == "audio/mpeg"


def test_an_interface_clip_in_a_wrong_format_is_refused_like_any_clip(tree):
    clip_file(tree, "nb").unlink()
    put(tree, "nb", "interface.log_in.ogg", MP3)
    [error] = errors_of(tree)
    assert error.code == "audio-bad-file" and error.path == LOG_IN and "not Ogg Opus" in str(error)


def test_a_declared_string_that_the_catalogues_lack_is_an_error_at_its_line(tree):
    file = tree / "kompass" / "1" / "questionnaire.yaml"
    file.write_text(file.read_text("utf-8").replace("log_in: Log in", "log_in: Log on"), "utf-8")
    [error] = errors_of(tree)
    assert error.code == "interface-text-unknown" and error.path == "interface_texts.log_in"
    assert error.line and "Log in" in str(error)


# --- freezing ----------------------------------------------------------------------------------


def test_interface_clips_and_their_declaration_are_frozen_and_change_the_fingerprint(tree):
    before = frozen.freeze(load(tree))
    content = before["content"]
    assert content["source"]["interface_texts"]["log_in"] == "Log in"
    assert content["audio"]["ar"][LOG_IN]["hash"] == audio.digest(clip_file(tree).read_bytes())
    put(tree, "ar", "interface.log_in.ogg", clip_file(tree, "ar", "title").read_bytes())
    after = frozen.freeze(load(tree))
    assert frozen.fingerprint(after) != frozen.fingerprint(before)
    thawed = frozen.thaw(after, load(tree).types)
    assert thawed.audio["ar"][LOG_IN].hash == audio.digest(
        clip_file(tree, "ar", "title").read_bytes()
    )
    assert thawed.source.interface_texts == load(tree).source.interface_texts


def test_a_version_that_declares_no_interface_strings_keeps_its_fingerprint(tree):
    questionnaire = load(tree)
    bare = questionnaire.source.model_copy(update={"interface_texts": {}})
    questionnaire.source = bare
    assert "interface_texts" not in frozen.freeze(questionnaire)["content"]["source"]


def test_check_names_an_interface_clip_missing_or_added_after_publishing(
    published_database_url, tree
):
    clip_file(tree, "fr").unlink()
    put(tree, "ti", "interface.log_in.mp3", MP3)
    said = []
    assert not questionnaire_check.check_tree(tree, said.append, published_database_url)
    output = "\n".join(said)
    assert "published-version-changed" in output
    assert "audio/fr/interface.log_in.ogg" in output and "audio/ti/interface.log_in.mp3" in output


# --- the pages ---------------------------------------------------------------------------------


def controls(page: str) -> dict[str, str]:
    """Each control's name -> its clip's address."""
    found = re.findall(
        r'<audio controls preload="none" aria-label="([^"]+)">'
        r'<source src="(/audio/kompass/1/[0-9a-f]{64}\.ogg)" type="audio/ogg"></audio>',
        page,
    )
    return dict(found)


def assert_served(client, url: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 200 and answer.mimetype == "audio/ogg"
    assert answer.data[:4] == b"OggS" and b"OpusHead" in answer.data[:64]
    assert answer.headers["Cache-Control"] == YEAR


def test_the_log_in_page_speaks_its_texts_in_arabic(client):
    page = client.get("/ar/", follow_redirects=True).text  # /ar/ leads to the log-in page
    assert '<h1>تسجيل الدخول</h1><div class="listen-row">' in page
    named = controls(page)
    assert set(named) == {
        "استمع: تسجيل المهارات والخبرات",  # the questionnaire's title
        "استمع: تسجيل الدخول",
        "استمع: رقم DUF",
        "استمع: الرمز الخاص بك",
        next(name for name in named if name.startswith("استمع: اكتب رقم DUF")),
    }
    assert "الصوت في هذه اللغة صوت آلي" in page  # the machine-speech notice
    for url in named.values():
        assert_served(client, url)


def test_the_start_page_lets_each_voiced_language_say_choose_this_language(client):
    page = client.get("/").text
    items = dict(re.findall(r'<li lang="([^"]+)" dir="[a-z]+">(.*?)</li>', page))
    assert set(VOICES) <= set(items) and "ti" in items
    arabic = controls(items["ar"])
    assert list(arabic) == ["استمع: اختر هذه اللغة"]
    assert '<p class="machine-speech-mark">صوت آلي</p>' in items["ar"]
    assert list(controls(items["uk"])) == ["Прослухати: Виберіть цю мову"]
    assert "<audio" not in items["ti"] and "machine-speech-mark" not in items["ti"]
    assert_served(client, arabic["استمع: اختر هذه اللغة"])


def test_a_string_the_catalogue_shows_in_english_gets_no_arabic_control(
    published_database_url, tree
):
    app = app_on_copy(published_database_url, tree)
    untranslate(tree, "ar", "DUF number")  # after publishing: the clip is stored, the text gone
    page = app.test_client().get("/ar/login").text
    assert '<label for="duf">DUF number</label>' in page
    named = controls(page)
    assert len(named) == 4 and not [name for name in named if "DUF number" in name]
    assert "استمع: الرمز الخاص بك" in page


# --- the content editor ------------------------------------------------------------------------


def test_the_translation_status_counts_interface_clips_and_an_editor_may_upload_one(
    published_database_url, tree
):
    app = app_on_copy(published_database_url, tree)
    publishing.new_version(tree, "kompass")
    client = login(app, "editor", ["innholdsredaktor"])
    table = client.get("/admin/innhold/kompass/1").text.split('id="lyd"', 1)[1]
    row = re.search(r"\(am\)</th><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>", table)
    assert row.groups()[0] == row.groups()[2] == "13"  # 8 texts of the first section, 5 strings
    assert upload(client, 2, "speech.mp3", MP3, lang="ti", text=LOG_IN).status_code == 303
    assert (tree / "kompass" / "2" / "audio" / "ti" / "interface.log_in.mp3").read_bytes() == MP3
    assert [event.details["text"] for event in audio_events(app)] == [LOG_IN]


def test_an_editor_cannot_upload_a_clip_of_an_undeclared_string(published_database_url, tree):
    app = app_on_copy(published_database_url, tree)
    publishing.new_version(tree, "kompass")
    client = login(app, "editor", ["innholdsredaktor"])
    answer = upload(client, 2, "speech.mp3", MP3, lang="ti", text="interface.sign_up")
    assert answer.status_code == 422 and audio_events(app) == []
    assert not (tree / "kompass" / "2" / "audio" / "ti").exists()
