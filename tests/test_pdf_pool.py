"""PDFs cannot starve the server: a bounded pool per process, results kept per document.

The renderer is a stub here (the HTML with a render count), so every test is about the pool
and the cache; tests/test_pdf.py renders real PDFs through the real processes.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from sqlalchemy import select, update

import adminui.i18n
from adminui import profile
from auth.people.models import Person
from auth.staff.models import User
from bench.load import seed
from engine.app.config import PROJECT_ROOT
from engine.responses import verification
from engine.responses.lifecycle import Lifecycle
from engine.responses.storage import Response
from engine.translation.catalogues import PoCatalogues
from renderers import cv, pdf_pool
from renderers.pdf_pool import Kept, PdfBusy, Pool
from renderers.pdf_slots import MachineSlots
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login
from tests.test_pdf import DUF, actions, counsellor_client, fill, submit_as_the_person
from tests.translation_helpers import app_on_copy, copy_tree

pytestmark = pytest.mark.database_incidental

OTHER_DUF = "201900000123"
STAFF_BUSY = "Kompass lager mange PDF-filer akkurat nå. Prøv igjen om et minutt."


class Stub:
    """A renderer that counts its renders, at most how many ran at once, and can be held."""

    def __init__(self, held: bool = False):
        self.count = self.running = self.most = 0
        self.gate = threading.Event()
        if not held:
            self.gate.set()
        self._lock = threading.Lock()

    def __call__(self, html: str, _base_url: str) -> bytes:
        with self._lock:
            self.count += 1
            self.running += 1
            self.most = max(self.most, self.running)
            number = self.count
        self.gate.wait(10)
        with self._lock:
            self.running -= 1
        return f"render {number}\n{html}".encode()


def stub_pool(stub: Stub, slots: int = 1, wait: float = 5, limit: int = 2**20) -> Pool:
    return Pool(slots, wait, Kept(limit), lambda: ThreadPoolExecutor(8), render=stub)


@pytest.fixture
def stub(app):
    """The app's PDFs made by a stub renderer in one slot."""
    renderer = Stub()
    app.extensions[pdf_pool.EXTENSION] = stub_pool(renderer)
    return renderer


def at_once(calls) -> list:
    """Run each call in its own thread at the same moment; what each returned or raised."""
    results, start = [None] * len(calls), threading.Barrier(len(calls))

    def run(index: int, call) -> None:
        start.wait()
        try:
            results[index] = call()
        except Exception as error:  # the outcome is what the test compares
            results[index] = error

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_more_renders_than_slots_wait_their_turn_one_at_a_time():
    stub = Stub()
    pool = stub_pool(stub, wait=10)
    calls = [lambda n=n: pool.made(f"k{n}", lambda n=n: f"doc {n}", "") for n in range(5)]
    results = at_once(calls)
    assert sorted(body.split(b"\n")[1] for body in results) == [b"doc %d" % n for n in range(5)]
    assert stub.count == 5 and stub.most == 1


def test_a_full_pool_answers_busy_after_its_short_wait_and_nothing_else():
    stub = Stub(held=True)
    pool = stub_pool(stub, slots=2, wait=0.2)
    calls = [lambda n=n: pool.made(f"k{n}", lambda n=n: f"doc {n}", "") for n in range(6)]
    releaser = threading.Timer(1.0, stub.gate.set)
    releaser.start()
    results = at_once(calls)
    assert sum(isinstance(r, bytes) for r in results) == 2
    assert sum(isinstance(r, PdfBusy) for r in results) == 4 and stub.most == 2
    assert pool.made("k9", lambda: "doc 9", "").endswith(b"doc 9")  # the slots are free again


def test_downloads_of_one_document_at_once_share_one_render():
    stub = Stub()
    pool = stub_pool(stub, wait=0)
    results = at_once([lambda: pool.made("same", lambda: "doc", "") for _ in range(6)])
    assert set(results) == {b"render 1\ndoc"} and stub.count == 1


def test_a_render_longer_than_the_limit_is_busy_and_kept_for_the_next_try(monkeypatch):
    monkeypatch.setattr(pdf_pool, "RENDER_SECONDS", 0.1)
    stub = Stub(held=True)
    pool = stub_pool(stub)
    with pytest.raises(PdfBusy):
        pool.made("slow", lambda: "doc", "")
    stub.gate.set()
    monkeypatch.setattr(pdf_pool, "RENDER_SECONDS", 10)
    assert pool.made("slow", lambda: "doc", "") == b"render 1\ndoc" and stub.count == 1


def test_a_dead_rendering_process_is_busy_and_new_processes_start():
    def broken(_html, _base):
        raise BrokenProcessPool("killed")

    made = []
    pool = Pool(1, 1, Kept(0), lambda: made.append(1) or ThreadPoolExecutor(1), render=broken)
    for _ in range(2):
        with pytest.raises(PdfBusy):
            pool.made("k", lambda: "doc", "")
    assert len(made) == 2


def test_machine_slots_are_shared_by_processes_and_freed_when_a_holder_dies(tmp_path):
    slots = MachineSlots(tmp_path, 1)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_A_SLOT, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    started = time.monotonic()
    assert slots.take(0.3) is None and time.monotonic() - started >= 0.3
    holder.kill()
    holder.wait(10)
    handle = slots.take(1)
    assert handle is not None and slots.take(0) is None
    slots.give_back(handle)
    assert slots.take(0) is not None


HOLD_A_SLOT = """
import sys, time
from pathlib import Path
from renderers.pdf_slots import MachineSlots
assert MachineSlots(Path(sys.argv[1]), 1).take(1) is not None
print("held", flush=True)
time.sleep(60)
"""


def test_a_pool_waits_for_the_machines_slot_and_gives_it_back(tmp_path):
    machine = MachineSlots(tmp_path, 1)
    taken = machine.take(0)
    stub = Stub()
    pool = Pool(2, 0.3, Kept(0), lambda: ThreadPoolExecutor(2), render=stub, machine=machine)
    with pytest.raises(PdfBusy):
        pool.made("a", lambda: "a", "")
    machine.give_back(taken)
    assert pool.made("a", lambda: "a", "") == b"render 1\na" and stub.count == 1
    assert machine.take(0) is not None  # the render gave the machine's slot back


def test_kept_drops_the_least_recently_used_beyond_its_bytes_and_old_ones():
    now = [0.0]
    kept = Kept(10, seconds=60, clock=lambda: now[0])
    kept.put("a", b"aaaa")
    kept.put("b", b"bbbb")
    assert kept.get("a") == b"aaaa"
    kept.put("c", b"cccc")
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (b"aaaa", None, b"cccc")
    kept.put("huge", b"x" * 11)
    assert kept.get("huge") is None and kept.get("a") == b"aaaa"
    now[0] = 61
    assert kept.get("a") is None
    nothing = Kept(0)
    nothing.put("a", b"a")
    assert nothing.get("a") is None


def test_rendering_processes_run_at_the_lowest_priority():
    with pdf_pool.processes(1) as processes:
        assert processes.submit(os.nice, 0).result(60) == pdf_pool.NICENESS
        assert processes.submit(os.sched_getscheduler, 0).result(60) == os.SCHED_IDLE


KILLED_WORKER = """
import os, sys, time
from pathlib import Path
from adminui import profile
from auth.staff.models import User
from engine.app.config import PROJECT_ROOT
from engine.translation.catalogues import PoCatalogues
from renderers import cv, pdf_pool
processes = pdf_pool.processes(1)
Path(sys.argv[1]).write_text(str(processes.submit(os.getpid).result(60)))
processes.submit(time.sleep, 2)  # stands for a long render
time.sleep(0.5)
os._exit(0)  # as a worker killed after its graceful timeout: nothing is shut down
"""


def test_a_rendering_process_ends_when_its_worker_is_gone(tmp_path):
    pid = tmp_path / "renderer.pid"
    command = [sys.executable, "-c", KILLED_WORKER, str(pid)]
    subprocess.run(command, stdout=subprocess.DEVNULL, timeout=120, check=True)
    status = Path(f"/proc/{pid.read_text()}/status")
    deadline = time.monotonic() + 10
    while _running(status) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(status)


def _running(status: Path) -> bool:
    try:
        return "zombie" not in status.read_text()
    except FileNotFoundError:
        return False


def test_the_load_tests_maximum_mapping_is_valid_with_every_group_full(app):
    person = add_person(app, DUF)
    assert seed.map_maximum(app, [DUF]) == [person]
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        answers = session.scalars(select(Response.answers)).one()
    assert [len(answers[group]) for group in ("education", "other_languages", "jobs")] == [20] * 3
    assert len(answers["jobs"][0]["job_tasks"]) == 2000 and answers["has_licence"] == "yes"


def test_the_counsellor_gets_a_kept_pdf_and_every_download_is_audited(app, stub):
    person = add_person(app, DUF)
    fill(app, person, "uk")
    client = counsellor_client(app)
    for path in ("kartlegging.pdf", "cv.pdf"):
        bodies = [client.get(f"/admin/personer/{person}/{path}").data for _ in range(2)]
        assert bodies[0] == bodies[1]
    assert stub.count == 2
    assert actions(app, "mapping.pdf") == actions(app, "mapping.cv") == [person, person]
    add_user(app, "oslo", ["bosetting"], "0301")
    other = app.test_client()
    staff_login(other, "oslo")
    assert other.get(f"/admin/personer/{person}/kartlegging.pdf").status_code == 404
    assert actions(app, "mapping.pdf") == [person, person]


def test_a_kept_cv_is_never_another_persons_even_with_the_same_answers(app, stub):
    first, second = add_person(app, DUF), add_person(app, OTHER_DUF)
    fill(app, first, "uk")
    fill(app, second, "uk")
    client = counsellor_client(app)
    bodies = [client.get(f"/admin/personer/{p}/cv.pdf").data for p in (first, second)]
    assert bodies[0] != bodies[1] and stub.count == 2
    mapping = client.get(f"/admin/personer/{second}/kartlegging.pdf").data.decode()
    assert OTHER_DUF in mapping and DUF not in mapping


def test_a_change_to_answers_verification_or_person_makes_a_new_pdf(app, stub):
    person = add_person(app, DUF)
    fill(app, person, "uk")
    client = counsellor_client(app)
    url = f"/admin/personer/{person}/kartlegging.pdf"
    seen = [client.get(url).data.decode()]
    changes = ((_answer, "Kyiv"), (_verify, "Gått gjennom med personen"), (_rename, "Nynavn"))
    for change, shown in changes:
        change(app, person)
        seen.append(client.get(url).data.decode())
        assert shown in seen[-1] and shown not in seen[-2], shown
    assert stub.count == 4


def test_a_changed_answer_makes_a_new_cv(app, stub):
    person = add_person(app, DUF)
    fill(app, person, "uk")
    client = counsellor_client(app)
    url = f"/admin/personer/{person}/cv.pdf"
    before = client.get(url).data.decode()
    _answer(app, person, citizenship="SE")
    after = client.get(url).data.decode()
    assert "Sverige" in after and "Sverige" not in before and stub.count == 2


def _answer(app, person_id: int, **changed) -> None:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = session.scalars(select(Response)).one()
        answers = {**response.answers, **(changed or {"wished_work": "Kyiv"})}
        values = {"answers": answers, "revision": response.revision + 1}
        session.execute(update(Response).where(Response.id == response.id).values(**values))
        session.commit()


def _verify(app, person_id: int) -> None:
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        opened = Lifecycle(session, state.registry).find(f"person:{person_id}")
        verification.record(session, opened.response, opened.questionnaire, "work",
                            verification.GONE_THROUGH, "user:1")  # fmt: skip
        session.commit()


def _rename(app, person_id: int) -> None:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.execute(update(Person).where(Person.id == person_id).values(last_name="Nynavn"))
        session.commit()


def test_a_new_name_of_the_staff_user_who_verified_makes_a_new_pdf(app, stub):
    person = add_person(app, DUF)
    fill(app, person, "uk")
    client = counsellor_client(app)
    _verify(app, person)
    url = f"/admin/personer/{person}/kartlegging.pdf"
    before = client.get(url).data.decode()
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.execute(update(User).where(User.id == 1).values(last_name="Omdøpt"))
        session.commit()
    after = client.get(url).data.decode()
    assert "Omdøpt" in after and "Omdøpt" not in before and stub.count == 2


def test_an_edited_catalogue_makes_a_new_cv_and_a_new_mapping_pdf(
    tmp_path, published_database_url, monkeypatch
):
    root = copy_tree(tmp_path)
    app = app_on_copy(published_database_url, root)  # the catalogue is edited after it starts
    stub = Stub()
    app.extensions[pdf_pool.EXTENSION] = stub_pool(stub)
    staff = tmp_path / "staff-catalogues"
    shutil.copytree(PROJECT_ROOT / "adminui" / "translations", staff)
    monkeypatch.setattr(adminui.i18n.domain.catalogues, "folder", staff)
    monkeypatch.setattr(adminui.i18n.domain.catalogues, "_cache", {})
    monkeypatch.setattr(PoCatalogues, "RECHECK_SECONDS", 0)
    person = add_person(app, DUF)
    fill(app, person, "uk")
    client = counsellor_client(app)
    edits = (
        ("cv.pdf", root / "interface" / "uk.po", "Резюме"),
        ("kartlegging.pdf", staff / "nb" / "LC_MESSAGES" / "messages.po", "Kompetansekartlegging"),
    )
    for path, catalogue, text in edits:  # fmt: skip
        before = client.get(f"/admin/personer/{person}/{path}").data.decode()
        edited = catalogue.read_text("utf-8").replace(f'msgstr "{text}"', f'msgstr "{text} 2"')
        catalogue.write_text(edited, "utf-8")
        after = client.get(f"/admin/personer/{person}/{path}").data.decode()
        assert f"{text} 2" in after and f"{text} 2" not in before, path
    assert stub.count == 4
    app.extensions["kompass"].sessions.kw["bind"].dispose()


def test_a_kept_pdf_is_handed_out_without_laying_out_its_page_again(app, stub, monkeypatch):
    person = add_person(app, DUF)
    fill(app, person, "uk")
    client = counsellor_client(app)
    for path in ("kartlegging.pdf", "cv.pdf"):
        assert client.get(f"/admin/personer/{person}/{path}").status_code == 200
    built = []
    monkeypatch.setattr(cv, "build", lambda *args: built.append(args))
    monkeypatch.setattr(profile, "build", lambda *args: built.append(args))
    for path in ("kartlegging.pdf", "cv.pdf"):
        assert client.get(f"/admin/personer/{person}/{path}").status_code == 200
    assert built == [] and stub.count == 2


def test_the_persons_own_cv_is_kept_for_their_next_download(app, runner, stub):
    client = app.test_client()
    submit_as_the_person(client, runner, app)
    bodies = [client.get("/ar/form/cv.pdf").data for _ in range(2)]
    assert bodies[0] == bodies[1] and stub.count == 1


def test_concurrent_downloads_beyond_the_pool_are_503_with_a_clear_page_never_500(app):
    stub = Stub(held=True)
    app.extensions[pdf_pool.EXTENSION] = stub_pool(stub, wait=0.3)
    persons = [add_person(app, f"2020000000{n:02d}") for n in range(4)]
    for person in persons:
        fill(app, person, "uk")
    clients = [counsellor_client_named(app, f"veileder{n}") for n in range(4)]
    threading.Timer(3, stub.gate.set).start()
    pairs = list(zip(clients, persons, strict=True))
    answers = at_once([lambda c=c, p=p: c.get(f"/admin/personer/{p}/cv.pdf") for c, p in pairs])
    statuses = [answer.status_code for answer in answers]
    assert sorted(statuses) == [200, 503, 503, 503] and stub.most == 1
    busy = next(answer for answer in answers if answer.status_code == 503)
    assert busy.headers["Retry-After"] == "10" and STAFF_BUSY in busy.text
    assert actions(app, "mapping.cv") == [persons[statuses.index(200)]]  # what was handed out


def counsellor_client_named(app, username: str):
    add_user(app, username, ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, username)
    return client


def test_the_person_is_told_in_their_language_when_every_renderer_is_busy(app, runner):
    app.extensions[pdf_pool.EXTENSION] = stub_pool(Stub(), slots=0, wait=0)
    client = app.test_client()
    submit_as_the_person(client, runner, app)
    busy = client.get("/ar/form/cv.pdf")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "10"
    assert "يجري الآن إعداد كثير من السير الذاتية" in busy.text
