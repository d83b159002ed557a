"""Saving a catalog (`pricing.store.save_catalog`) never loses anything.

It validates first (an invalid catalog is never written), refuses to overwrite a file that changed
or vanished since it was loaded, keeps the previous version as `<file>.bak`, and replaces the file
atomically: a failure mid-write leaves the original intact and no temporary file behind.
"""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from pricing import store
from pricing.errors import ConflictError, InputError, SaveError
from pricing.loader import load_catalog_file
from pricing.store import backup_path, save_catalog

OLD_NAME = "name: Big model"
NEW_NAME = "name: Bigger model"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def catalog_file(tmp_path, mini_catalog_text):
    """A copy of the mini catalog in a folder of its own."""
    folder = tmp_path / "catalogs"
    folder.mkdir()
    f = folder / "prices.yaml"
    f.write_text(mini_catalog_text, encoding="utf-8")
    return f


def edited(text: str) -> str:
    assert text.count(OLD_NAME) == 1
    return text.replace(OLD_NAME, NEW_NAME)


def listing(folder) -> list[str]:
    """The folder's files, without the lock file a save keeps beside the catalog."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_backup_path_is_beside_the_file(tmp_path):
    assert backup_path(tmp_path / "prices.yaml") == tmp_path / "prices.yaml.bak"


def test_save_writes_the_new_text_and_keeps_the_previous_version(catalog_file):
    before = catalog_file.read_bytes()
    loaded = load_catalog_file(catalog_file)
    assert loaded.sha256 == sha(before)
    new_text = edited(loaded.text)

    saved = save_catalog(new_text, catalog_file, loaded.sha256)

    assert catalog_file.read_bytes() == new_text.encode("utf-8")
    assert backup_path(catalog_file).read_bytes() == before
    assert listing(catalog_file.parent) == ["prices.yaml", "prices.yaml.bak"]  # no temporary file left
    assert saved.sha256 == sha(catalog_file.read_bytes())
    assert saved.file == str(catalog_file) and saved.text == new_text
    assert saved.catalog.llms["big"].name == "Bigger model"
    assert load_catalog_file(catalog_file).catalog == saved.catalog


def test_saves_chain_with_the_returned_fingerprint(catalog_file):
    loaded = load_catalog_file(catalog_file)
    first = save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    second_text = first.text.replace("name: Bigger model", "name: Biggest model")
    second = save_catalog(second_text, catalog_file, first.sha256)
    assert catalog_file.read_text(encoding="utf-8") == second_text
    assert backup_path(catalog_file).read_text(encoding="utf-8") == first.text  # the .bak is the version before
    assert second.catalog.llms["big"].name == "Biggest model"
    # the first fingerprint is now stale: saving with it again is a conflict
    with pytest.raises(ConflictError):
        save_catalog(loaded.text, catalog_file, first.sha256)
    assert catalog_file.read_text(encoding="utf-8") == second_text


def test_save_keeps_the_bytes_exactly(catalog_file):
    loaded = load_catalog_file(catalog_file)
    text = edited(loaded.text).replace("\n", "\r\n") + "# café ☕\r\n"
    save_catalog(text, catalog_file, loaded.sha256)
    assert catalog_file.read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda t: t.replace("value: 4,", "value: -4,"), id="negative-price"),
        pytest.param(lambda t: t.replace("currency: USD", "currency: &c USD"), id="anchor"),
        pytest.param(lambda t: t + "version: again\n", id="duplicate-key"),
        pytest.param(lambda t: t.replace("llms:", "llms: [", 1), id="syntax-error"),
        pytest.param(lambda t: "", id="empty"),
        pytest.param(lambda t: t + "#" * 1_000_001, id="oversize"),
    ],
)
def test_invalid_catalog_is_never_written(catalog_file, bad):
    before = catalog_file.read_bytes()
    loaded = load_catalog_file(catalog_file)
    with pytest.raises(InputError) as info:
        save_catalog(bad(loaded.text), catalog_file, loaded.sha256)
    for p in info.value.problems:
        assert p.file == str(catalog_file) and p.line >= 1 and p.column >= 1
    assert catalog_file.read_bytes() == before
    assert listing(catalog_file.parent) == ["prices.yaml"]  # no .bak, no temporary file


def test_invalid_catalog_is_not_created(tmp_path, mini_catalog_text):
    target = tmp_path / "new.yaml"
    with pytest.raises(InputError):
        save_catalog(mini_catalog_text.replace("value: 4,", "value: .nan,"), target, None)
    assert listing(tmp_path) == []


def test_file_changed_on_disk_is_a_conflict(catalog_file):
    loaded = load_catalog_file(catalog_file)
    theirs = loaded.text.replace("name: Small open model", "name: Their edit")
    catalog_file.write_text(theirs, encoding="utf-8")  # someone else saved in between
    with pytest.raises(ConflictError, match="changed on disk"):
        save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert catalog_file.read_text(encoding="utf-8") == theirs
    assert listing(catalog_file.parent) == ["prices.yaml"]


def test_file_deleted_since_loading_is_a_conflict(catalog_file):
    loaded = load_catalog_file(catalog_file)
    catalog_file.unlink()
    with pytest.raises(ConflictError, match="deleted"):
        save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert listing(catalog_file.parent) == []


def test_new_file_is_created_when_none_is_expected(tmp_path, mini_catalog_text):
    target = tmp_path / "new.yaml"
    saved = save_catalog(mini_catalog_text, target, None)
    assert target.read_text(encoding="utf-8") == mini_catalog_text
    assert saved.sha256 == sha(target.read_bytes())
    assert listing(tmp_path) == ["new.yaml"]  # nothing to back up


def test_existing_file_when_none_is_expected_is_a_conflict(catalog_file, mini_catalog_text):
    before = catalog_file.read_bytes()
    with pytest.raises(ConflictError):
        save_catalog(edited(mini_catalog_text), catalog_file, None)
    assert catalog_file.read_bytes() == before
    assert listing(catalog_file.parent) == ["prices.yaml"]


@pytest.mark.parametrize(
    "exc", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["disk-full", "interrupted"]
)
def test_failure_mid_write_leaves_the_original_and_no_temporary_file(catalog_file, monkeypatch, exc):
    before = catalog_file.read_bytes()
    loaded = load_catalog_file(catalog_file)

    def failing_replace(src, dst, *args, **kwargs):
        raise exc

    monkeypatch.setattr(store.os, "replace", failing_replace)
    with pytest.raises(SaveError if isinstance(exc, OSError) else type(exc)):
        save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    monkeypatch.undo()

    assert catalog_file.read_bytes() == before
    leftovers = [n for n in listing(catalog_file.parent) if n not in ("prices.yaml", "prices.yaml.bak")]
    assert leftovers == [], f"temporary files left behind: {leftovers}"
    if backup_path(catalog_file).exists():
        assert backup_path(catalog_file).read_bytes() == before
    # and the file can still be saved normally afterwards
    save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert catalog_file.read_text(encoding="utf-8") == edited(loaded.text)


def test_failure_while_writing_the_temporary_file_leaves_nothing(catalog_file, monkeypatch):
    before = catalog_file.read_bytes()
    loaded = load_catalog_file(catalog_file)

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(store.os, "fsync", failing_fsync)
    with pytest.raises(SaveError, match="input/output error"):
        save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    monkeypatch.undo()
    assert catalog_file.read_bytes() == before
    assert listing(catalog_file.parent) == ["prices.yaml"]


def test_save_keeps_the_file_permissions(catalog_file):
    os.chmod(catalog_file, 0o640)
    loaded = load_catalog_file(catalog_file)
    save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert stat.S_IMODE(os.stat(catalog_file).st_mode) == 0o640


def test_override_file_is_validated_over_the_default_and_saved(tmp_path):
    from pricing.loader import load_catalog

    key = sorted(load_catalog().rerankers)[0]
    target = tmp_path / "override.yaml"
    text = f'extends: default\nrerankers:\n  "{key}":\n    name: Our reranker\n'
    saved = save_catalog(text, target, None)
    assert saved.is_override
    assert saved.catalog.rerankers[key].name == "Our reranker"
    assert target.read_text(encoding="utf-8") == text
    # an override that breaks the merged catalog is refused, pointing into the override
    bad = f'extends: default\nrerankers:\n  "{key}":\n    max_documents_per_search: 0\n'
    with pytest.raises(InputError) as info:
        save_catalog(bad, target, saved.sha256)
    p = info.value.problems[0]
    assert (p.file, p.line) == (str(target), 4)
    assert target.read_text(encoding="utf-8") == text


def test_file_with_a_utf8_bom_can_be_saved_after_loading(catalog_file, mini_catalog_text):
    catalog_file.write_bytes(b"\xef\xbb\xbf" + mini_catalog_text.encode("utf-8"))
    loaded = load_catalog_file(catalog_file)
    save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert load_catalog_file(catalog_file).catalog.llms["big"].name == "Bigger model"


# ---------------------------------------------------------------- a save never breaks the app


@pytest.fixture
def default_copy(tmp_path, monkeypatch, default_catalog_text):
    """A copy of the shipped catalog standing in for it (overrides extend this file)."""
    from pricing import loader

    folder = tmp_path / "shipped"
    folder.mkdir()
    f = folder / "default.yaml"
    f.write_text(default_catalog_text, encoding="utf-8")
    monkeypatch.setattr(loader, "DEFAULT_CATALOG_PATH", f)
    return f


def an_override() -> str:
    from pricing.loader import load_catalog

    key = sorted(load_catalog().rerankers)[0]
    return f'extends: default\nrerankers:\n  "{key}":\n    name: Our reranker\n'


def test_an_override_saved_over_the_default_catalog_is_refused(default_copy):
    """Saved there, `extends: default` would extend itself: no session could load a catalog again."""
    from pricing.loader import load_catalog_file

    before = default_copy.read_bytes()
    loaded = load_catalog_file(default_copy)
    with pytest.raises(SaveError, match="would extend itself") as info:
        save_catalog(an_override(), default_copy, loaded.sha256)
    assert "Nothing was written" in str(info.value)
    assert default_copy.read_bytes() == before
    assert listing(default_copy.parent) == ["default.yaml"]
    assert load_catalog_file(default_copy).catalog == loaded.catalog  # still loads as itself


def test_an_override_saved_through_a_link_to_the_default_catalog_is_refused(default_copy, tmp_path):
    link = tmp_path / "team.yaml"
    link.symlink_to(default_copy)
    before = default_copy.read_bytes()
    with pytest.raises(SaveError, match="would extend itself"):
        save_catalog(an_override(), link, sha(before))
    assert default_copy.read_bytes() == before and link.is_symlink()


def test_a_full_catalog_can_still_be_saved_over_the_default_catalog(default_copy):
    loaded = load_catalog_file(default_copy)
    text = loaded.text + "\n# reviewed\n"
    save_catalog(text, default_copy, loaded.sha256)
    assert load_catalog_file(default_copy).text == text


def test_a_read_only_catalog_file_is_not_overwritten(catalog_file):
    """`os.replace` only needs the folder to be writable: the file's own permission must be asked."""
    loaded = load_catalog_file(catalog_file)
    before = catalog_file.read_bytes()
    os.chmod(catalog_file, 0o444)
    with pytest.raises(SaveError, match="is read-only, so it was not overwritten"):
        save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert catalog_file.read_bytes() == before
    assert stat.S_IMODE(os.stat(catalog_file).st_mode) == 0o444
    assert listing(catalog_file.parent) == ["prices.yaml"]  # no .bak either


def test_a_symlinked_catalog_is_written_through_the_link(catalog_file, tmp_path):
    """The link stays a link; its target gets the new text and the .bak beside it."""
    link = tmp_path / "current.yaml"
    link.symlink_to(catalog_file)
    loaded = load_catalog_file(link)
    before = catalog_file.read_bytes()
    saved = save_catalog(edited(loaded.text), link, loaded.sha256)
    assert link.is_symlink() and os.readlink(link) == str(catalog_file)
    assert catalog_file.read_text(encoding="utf-8") == edited(loaded.text)
    assert backup_path(catalog_file).read_bytes() == before
    assert not backup_path(link).exists()
    assert saved.file == str(link)


def test_a_save_waits_for_another_save_and_gives_up_with_a_message(catalog_file, monkeypatch):
    loaded = load_catalog_file(catalog_file)
    before = catalog_file.read_bytes()
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.2)
    with store.file_lock(catalog_file):  # another save holds the file
        with pytest.raises(ConflictError, match="being saved by someone else"):
            save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert catalog_file.read_bytes() == before
    save_catalog(edited(loaded.text), catalog_file, loaded.sha256)  # free again


def test_an_unwritable_folder_is_a_message(catalog_file, monkeypatch):
    loaded = load_catalog_file(catalog_file)
    before = catalog_file.read_bytes()

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store.tempfile, "mkstemp", refused)
    with pytest.raises(SaveError, match="could not write .*permission denied; the file was not changed"):
        save_catalog(edited(loaded.text), catalog_file, loaded.sha256)
    assert catalog_file.read_bytes() == before


SAVER = """
import os, sys, time
from pricing import store
from pricing.errors import ConflictError

path, expected, text_file, start, delay = sys.argv[1:]
replace = os.replace

def slow_replace(src, dst, *args, **kwargs):
    if os.path.basename(str(dst)) == os.path.basename(path):
        time.sleep(float(delay))  # widen the window between the conflict check and the replace
    return replace(src, dst, *args, **kwargs)

os.replace = slow_replace
text = open(text_file, encoding="utf-8").read()
while time.time() < float(start):
    time.sleep(0.001)
try:
    store.save_catalog(text, path, expected)
    print("saved")
except ConflictError:
    print("conflict")
"""


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_two_processes_saving_at_the_same_instant_exactly_one_wins(catalog_file, repo_root, delay):
    """Two processes load the same version and save different edits at once: one is saved, the other told."""
    import subprocess
    import sys
    import time

    loaded = load_catalog_file(catalog_file)
    texts = [loaded.text.replace(OLD_NAME, f"name: Edit {i}") for i in (1, 2)]
    files = []
    for i, t in enumerate(texts):
        f = catalog_file.parent.parent / f"edit{i}.yaml"
        f.write_text(t, encoding="utf-8")
        files.append(f)
    start = time.time() + 4.0  # both processes imported and waiting by then
    env = {**os.environ, "PYTHONPATH": str(repo_root)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, str(catalog_file), loaded.sha256, str(f), str(start), str(delay)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for f in files
    ]
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["conflict", "saved"]
    winner = texts[outcomes.index("saved")]
    assert catalog_file.read_text(encoding="utf-8") == winner
    assert backup_path(catalog_file).read_text(encoding="utf-8") == loaded.text


def test_messages_name_the_file_as_asked(catalog_file, monkeypatch):
    """The app names the file by its name alone: visitors never see the server's absolute paths."""
    loaded = load_catalog_file(catalog_file)
    catalog_file.write_text(loaded.text + "# theirs\n", encoding="utf-8")
    with pytest.raises(ConflictError) as info:
        save_catalog(edited(loaded.text), catalog_file, loaded.sha256, shown_as="prices.yaml")
    assert str(info.value).startswith("prices.yaml changed on disk")
    assert str(catalog_file.parent) not in str(info.value)
    with pytest.raises(InputError) as info:
        save_catalog("llms: [", catalog_file, loaded.sha256, shown_as="prices.yaml")
    assert all(p.file == "prices.yaml" for p in info.value.problems)
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.1)
    with store.file_lock(catalog_file), pytest.raises(ConflictError) as info:
        save_catalog(loaded.text + "# theirs\n", catalog_file, sha(catalog_file.read_bytes()), shown_as="prices.yaml")
    assert str(info.value).startswith("prices.yaml is being saved")


def test_two_threads_saving_at_the_same_instant_exactly_one_wins(catalog_file, monkeypatch):
    """The app's sessions are threads of one server: the lock holds between them too (flock is per open file)."""
    import threading
    import time

    loaded = load_catalog_file(catalog_file)
    replace = os.replace

    def slow_replace(src, dst, *args, **kwargs):
        if os.path.basename(str(dst)) == catalog_file.name:
            time.sleep(0.2)  # widen the window between the conflict check and the replace
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(store.os, "replace", slow_replace)
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def save(i: int) -> None:
        text = loaded.text.replace(OLD_NAME, f"name: Thread {i}")
        barrier.wait()
        try:
            save_catalog(text, catalog_file, loaded.sha256)
            outcomes[i] = "saved"
        except ConflictError:
            outcomes[i] = "conflict"

    threads = [threading.Thread(target=save, args=(i,)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(i for i, o in outcomes.items() if o == "saved")
    assert f"name: Thread {winner}" in catalog_file.read_text(encoding="utf-8")
