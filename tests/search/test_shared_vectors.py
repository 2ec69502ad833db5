"""The article vectors of hybrid search are shared between processes (search/vectorstore.py):
mapped read-only from files under var/, not copied into each process, and a change reaches the
other processes as the changed rows only."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from healthpress.search import hybrid, semantic, vectorstore
from healthpress.search.models import ArticleEmbedding

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000  # 20,000 × 256 float32: a 20 MB matrix, well above the noise of a process's memory
DIMENSIONS = semantic.DIMENSIONS

# Another process: holds a view of the store and answers one command a line on stdin.
OTHER_PROCESS = textwrap.dedent(
    """
    import sys
    import numpy as np
    from healthpress.search import vectorstore

    def uss_kb():
        fields = dict(
            line.split(":") for line in open("/proc/self/smaps_rollup").read().splitlines()[1:]
        )
        return sum(int(fields[name].split()[0]) for name in ("Private_Clean", "Private_Dirty"))

    reader = vectorstore.Reader(vectorstore.Store(sys.argv[1], int(sys.argv[2])))
    kept = []
    # What any first search loads whatever the size (numpy's einsum), so that the measure below
    # is the vectors' own.
    np.einsum("ij,j->i", np.ones((4, 4), dtype=np.float32), np.ones(4, dtype=np.float32))
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "uss":
            print(uss_kb(), flush=True)
        elif command == "load":  # map the vectors and read every page, as a search does
            view = reader.view()
            view.scores(np.ones(view.base_vectors.shape[1], dtype=np.float32))
            print(len(view), flush=True)
        elif command == "copy":  # what a process holding its own matrix pays (the control)
            kept.append(np.array(reader.view().base_vectors))
            print(len(kept[-1]), flush=True)
        elif command == "nearest":
            view = reader.view()
            query = np.load(argument)
            ids, scores = view.scores(query)
            print(" ".join(map(str, vectorstore.best(ids, scores, 3, floor=-1))), flush=True)
        elif command == "base":  # the base mapping this process holds, by identity
            print(id(reader.view().base_vectors), flush=True)
    """
)


class OtherProcess:
    def __init__(self, directory):
        self.process = subprocess.Popen(
            [sys.executable, "-c", OTHER_PROCESS, str(directory), str(DIMENSIONS)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer, f"the other process gave no answer to {line!r}"
        return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def other_processes():
    started = []
    yield lambda directory: started.append(OtherProcess(directory)) or started[-1]
    for process in started:
        process.close()


def unit_rows(count, seed):
    rows = np.random.default_rng(seed).standard_normal((count, DIMENSIONS)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def write_store(directory, count=ROWS, seed=1):
    store = vectorstore.Store(directory, DIMENSIONS)
    with store.locked():
        store.replace_all(np.arange(1, count + 1), unit_rows(count, seed))
    return store


def test_a_second_process_maps_the_vectors_without_a_copy_of_its_own(tmp_path, other_processes):
    write_store(tmp_path)
    # The first process (this one) maps the files and reads every page...
    first = vectorstore.Reader(vectorstore.Store(tmp_path, DIMENSIONS))
    first.view().scores(np.ones(DIMENSIONS, dtype=np.float32))
    # ...and the second one's private memory hardly moves when it does the same.
    second = other_processes(tmp_path)
    before = int(second.ask("uss"))
    assert int(second.ask("load")) == ROWS
    shared_kb = int(second.ask("uss")) - before
    # The control: the same process copying the matrix (as every process did before) pays it.
    assert int(second.ask("copy")) == ROWS
    copied_kb = int(second.ask("uss")) - before - shared_kb
    matrix_kb = ROWS * DIMENSIONS * 4 // 1024
    print(f"USS added by the vectors: mapped {shared_kb} kB, copied {copied_kb} kB")
    assert copied_kb > 0.9 * matrix_kb
    assert shared_kb < 0.1 * matrix_kb


def test_a_new_article_reaches_the_other_process_after_its_index_update(tmp_path, other_processes):
    store = write_store(tmp_path)
    other = other_processes(tmp_path)
    assert int(other.ask("load")) == ROWS
    base = other.ask("base")
    query = unit_rows(1, seed=7)[0]
    np.save(tmp_path / "query.npy", query)
    assert "30001" not in other.ask("nearest " + str(tmp_path / "query.npy")).split()

    # The index update: a new article whose vector is the query's, an edited one, a removed one.
    edited = -query  # article 5 now means the opposite of the query
    with store.locked():
        store.apply([30001, 5], np.stack([query, edited]), removed=[6])
    nearest = other.ask("nearest " + str(tmp_path / "query.npy")).split()
    assert nearest[0] == "30001"
    assert other.ask("load") == str(ROWS)  # one added, one removed
    # Incremental: the other process kept the base it had mapped and read the delta only.
    assert other.ask("base") == base
    view = vectorstore.Reader(store).view()
    ids, scores = view.scores(query)
    assert 6 not in ids.tolist()
    assert scores[ids.tolist().index(5)] == pytest.approx(-1, abs=1e-5)
    assert ids.tolist().count(5) == 1


def test_a_large_delta_is_folded_into_a_new_base_while_readers_keep_the_old_one(tmp_path):
    store = write_store(tmp_path, count=2000)
    old = vectorstore.Reader(store)
    before = old.view()
    query = unit_rows(1, seed=3)[0]
    many = np.arange(10_001, 10_001 + vectorstore.COMPACT_FLOOR + 1)
    with store.locked():
        store.apply(many, unit_rows(len(many), seed=4), removed=[1, 2])
    manifest = store.manifest()
    assert manifest["delta"] is None and manifest["base"] != before.manifest["base"]
    assert manifest["base_rows"] == 2000 - 2 + len(many)
    # The old base's files are gone from the folder; a process still holding them reads on.
    assert not list(tmp_path.glob(f"*-{before.manifest['base']}.npy"))
    assert len(before.scores(query)[0]) == 2000
    assert len(old.view()) == 2000 - 2 + len(many)


# --- filled from the database ----------------------------------------------------------------


@pytest.fixture
def shared_vectors(settings, tmp_path):
    settings.SEARCH_SEMANTIC = True
    settings.SEARCH_VECTOR_DIR = tmp_path / "vectors"
    hybrid.forget()
    yield vectorstore.Store(settings.SEARCH_VECTOR_DIR, DIMENSIONS)
    hybrid.forget()


def test_a_publish_writes_only_its_row_and_another_process_finds_it(
    make_article, shared_vectors, committed
):
    from healthpress.search.service import article_queryset

    with committed():
        make_article("Why do my legs cramp at night?", short_answer="Mostly tired muscles.")
    assert hybrid.nearest("cramp", article_queryset) is not None  # the files are written
    base = shared_vectors.manifest()["base"]
    with committed():
        heartburn = make_article(
            "What helps heartburn at night?", short_answer="Raise the head of the bed."
        )
    manifest = shared_vectors.manifest()
    assert manifest["base"] == base  # not rewritten whole
    delta = np.load(shared_vectors.directory / f"delta-ids-{manifest['delta']}.npy")
    assert delta.tolist() == [heartburn.pk]
    # Another process: a reader of its own over the same files.
    view = vectorstore.Reader(vectorstore.Store(shared_vectors.directory, DIMENSIONS)).view()
    ids, scores = view.scores(semantic.embed(["acid coming up my throat at bedtime"])[0])
    assert vectorstore.best(ids, scores, 1, floor=-1)[0] == heartburn.pk

    with committed():
        heartburn.unpublish()
    view = vectorstore.Reader(vectorstore.Store(shared_vectors.directory, DIMENSIONS)).view()
    assert heartburn.pk not in view.scores(np.ones(DIMENSIONS, dtype=np.float32))[0].tolist()


def test_files_that_disagree_with_the_database_are_written_again(
    make_article, shared_vectors, committed
):
    from healthpress.search.service import article_queryset

    with committed():
        article = make_article("What helps heartburn at night?", short_answer="Raise the bed.")
    with shared_vectors.locked():  # left by another database, or a writer that died
        shared_vectors.replace_all([999_999], unit_rows(1, seed=5), stamp="stale")
    found = hybrid.nearest("heartburn at night", article_queryset)
    assert found == [article.pk]
    view = vectorstore.Reader(shared_vectors).view()
    assert view.scores(np.ones(DIMENSIONS, dtype=np.float32))[0].tolist() == [article.pk]
    assert ArticleEmbedding.objects.count() == 1


def test_a_change_the_files_missed_is_caught_up_on_the_next_search(
    make_article, shared_vectors, committed
):
    """A row written by another machine (whose var/ this one does not see), or by a writer that
    died between its commit and its file write: the index generation moves, and the next search
    adds the rows changed since the files' latest."""
    from healthpress.search.embeddings import update_embeddings
    from healthpress.search.service import article_queryset

    with committed():
        make_article("Why do my legs cramp at night?", short_answer="Mostly tired muscles.")
    hybrid.nearest("cramp", article_queryset)
    base = shared_vectors.manifest()["base"]
    heartburn = make_article("What helps heartburn at night?", short_answer="Raise the bed.")
    update_embeddings([heartburn.pk])  # outside committed(): its own file write never runs
    assert (
        heartburn.pk
        not in vectorstore.Reader(shared_vectors)
        .view()
        .scores(np.ones(DIMENSIONS, dtype=np.float32))[0]
        .tolist()
    )
    assert heartburn.pk in hybrid.nearest("acid coming up my throat at bedtime", article_queryset)
    assert shared_vectors.manifest()["base"] == base
