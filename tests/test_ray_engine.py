"""`analyze --engine ray` reports what the local engine reports: with Ray started in-process, on a two-node
Ray cluster started on this machine, and when a Ray worker is killed in the middle of the story stage."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from importlib import resources
from pathlib import Path

import pytest

from conftest import CORPORA, KARABAKH

SAMPLE = str(resources.files("storylens") / "sample")
ECB_TOPICS = ("1", "2", "3")  # 80 articles: past the size from which the local engine starts worker processes
NODE_MEMORY = 100 * 1024 * 1024  # each node's object store: small, the batches stream through it


def storylens(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "RAY_USAGE_STATS_ENABLED": "0"}
    return subprocess.run([sys.executable, "-m", "storylens.cli", *args], capture_output=True, text=True, env=env)


def report(path: Path) -> dict:
    """The JSON report without the time it was written."""
    data = json.loads(path.read_text())
    data.pop("generated_at")
    return data


def analyze(inputs: str, folder: Path, *engine: str) -> dict:
    folder.mkdir(parents=True)
    result = storylens("analyze", inputs, "--db", str(folder / "s.db"), "--json", str(folder / "r.json"), *engine)
    assert result.returncode in (0, 3), result.stderr  # 3: karabakh's gold.json is not an article
    return report(folder / "r.json")


@pytest.fixture(scope="module")
def ecbplus(tmp_path_factory) -> str:
    """The ECB+ articles of a few topics, as the corpus has them (JSON lines)."""
    path = tmp_path_factory.mktemp("ecbplus") / "ecbplus.jsonl"
    with open(CORPORA / "ecbplus" / "ecbplus_docs.jsonl", encoding="utf-8") as rows:
        path.write_text("".join(line for line in rows if json.loads(line)["gold_topic"] in ECB_TOPICS))
    return str(path)


@pytest.fixture(scope="module")
def local(tmp_path_factory, request):
    """The local engine's report of each corpus, made once (ECB+ read only by the tests that ask for it)."""
    tmp = tmp_path_factory.mktemp("local")
    made: dict[str, dict] = {}

    def of(name: str) -> dict:
        if name not in made:
            inputs = (
                request.getfixturevalue("ecbplus")
                if name == "ecbplus"
                else {"sample": SAMPLE, "karabakh": str(KARABAKH)}[name]
            )
            made[name] = analyze(inputs, tmp / name)
        return made[name]

    return of


@pytest.fixture(scope="module")
def cluster():
    """Two Ray nodes on this machine, one CPU each: the head and a worker node that joins it."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    from ray.cluster_utils import Cluster

    nodes = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "object_store_memory": NODE_MEMORY})
    nodes.add_node(num_cpus=1, object_store_memory=NODE_MEMORY)
    nodes.wait_for_nodes()
    yield nodes
    nodes.shutdown()


@pytest.mark.corpus
def test_ray_started_here_reports_as_the_local_engine_on_karabakh(tmp_path, local):
    assert analyze(str(KARABAKH), tmp_path / "ray", "--engine", "ray") == local("karabakh")


def test_ray_started_here_keeps_its_notices_off_the_terminal(tmp_path):
    """Ray's start-up line, Ray Data's notice that its progress bars are off and the deprecation warnings of
    the arguments storylens passes are not for the user (storylens shows its own progress)."""
    db, out = tmp_path / "s.db", tmp_path / "r.json"
    result = storylens("analyze", SAMPLE, "--db", str(db), "--json", str(out), "--engine", "ray")
    assert result.returncode == 0, result.stderr
    for noise in ("Started a local Ray instance", "Progress bars disabled", "Deprecat", "deprecated"):
        assert noise not in result.stderr, result.stderr


@pytest.mark.parametrize("corpus", ["sample", pytest.param("karabakh", marks=pytest.mark.corpus)])
def test_a_two_node_cluster_reports_as_the_local_engine(tmp_path, local, cluster, corpus):
    inputs = {"sample": SAMPLE, "karabakh": str(KARABAKH)}[corpus]
    ray_report = analyze(inputs, tmp_path / "ray", "--engine", "ray", "--address", cluster.address)
    expected = local(corpus)
    assert len(expected["stories"]) >= 2
    assert ray_report == expected


def test_the_tracker_saved_after_placement_on_ray_is_the_one_placed_here(tmp_path, cluster):
    """The LSH index that Ray placement assembles from its shuffle is the one `ReuseIndex.add` builds: the
    same buckets, sentences and signatures. Two runs: the second places new articles against the index the
    first saved (its buckets join the shuffle), and must find what the local engine finds."""
    from storylens.engine.stories import saved_tracker
    from storylens.store import Store

    first = tmp_path / "first"
    first.mkdir()
    for path in sorted(Path(SAMPLE).iterdir())[:6]:
        shutil.copy(path, first / path.name)

    def saved(folder: Path, *engine: str):  # noqa: ANN202 (a Tracker)
        folder.mkdir()
        for inputs in (first, SAMPLE):
            ran = storylens("analyze", str(inputs), "--db", str(folder / "s.db"), *engine)
            assert ran.returncode == 0, ran.stderr
        with Store(folder / "s.db") as store:
            return saved_tracker(store)

    here, on_ray = saved(tmp_path / "here"), saved(tmp_path / "ray", "--engine", "ray", "--address", cluster.address)
    assert on_ray.stories.state() == here.stories.state()
    a, b = here.reuse, on_ray.reuse
    assert (b.article_ids, b.duplicates) == (a.article_ids, a.duplicates)
    assert len(a.buckets) > 1000
    assert {k: b.buckets.get(k) for k in a.buckets.head} == {k: a.buckets.get(k) for k in a.buckets.head}
    assert set(b.buckets.head) == set(a.buckets.head)
    assert {k: b.doc_buckets.get(k) for k in b.doc_buckets.head} == {
        k: a.doc_buckets.get(k) for k in a.doc_buckets.head
    }
    for name in ("sentence_article", "sentence_prints", "doc_signatures"):
        assert (getattr(b, name).view() == getattr(a, name).view()).all(), name


def test_stories_that_close_are_placed_and_stored_on_ray_as_here(tmp_path, cluster):
    """Three runs of a dated stream over four months, whose stories close and leave the tracker's state for the
    store, and whose last run brings late and undated articles that join closed stories: the Ray driver's
    placements, tracker state and closed stories are the local engine's."""
    from stories_fixtures import dated_stream
    from storylens.engine.stories import saved_tracker
    from storylens.store import Store

    runs = []
    for n, articles in enumerate(dated_stream()):
        runs.append(tmp_path / f"run{n}.jsonl")
        runs[-1].write_text("".join(json.dumps({"title": a.title, "text": a.text, "published": a.published}) + "\n"
                                    for a in articles))  # fmt: skip

    def placed(db: Path, *engine: str) -> tuple:
        for inputs in runs:
            ran = storylens("analyze", str(inputs), "--db", str(db), *engine)
            assert ran.returncode == 0, ran.stderr
        with Store(db) as store:
            closed = store.conn.execute("SELECT story, data FROM closed_stories ORDER BY story").fetchall()
            return (
                store.placements(),
                saved_tracker(store).stories.state(),
                [(s, zlib.decompress(d)) for s, d in closed],
            )

    here = placed(tmp_path / "here.db")
    assert len(here[2]) >= 20 and len(here[1]["stories"]) <= 4  # most stories closed, out of the state
    assert here == placed(tmp_path / "ray.db", "--engine", "ray", "--address", cluster.address)


def test_a_ray_run_killed_between_its_index_parts_and_its_placements_resumes_to_the_same_report(
    tmp_path, local, cluster
):
    """The Ray driver writes its run's LSH index rows while it reads the shuffles, and its placements later in
    one transaction: SIGKILLed in between, it leaves a sound store, and the next runs (the sample again, then
    the karabakh articles, placed against the saved index) report what the local engine does in a store that
    was never killed: the parts of the killed run are never read, and the next save drops them."""
    expected = {}
    for name, inputs in (("sample", SAMPLE), ("karabakh", str(KARABAKH))):
        done = storylens("analyze", inputs, "--db", str(tmp_path / "local.db"), "--json", str(tmp_path / "l.json"))
        assert done.returncode in (0, 3), done.stderr  # 3: karabakh's gold.json is not an article
        expected[name] = report(tmp_path / "l.json")
    db, out = tmp_path / "s.db", tmp_path / "r.json"
    on_ray = ["--db", str(db), "--json", str(out), "--engine", "ray", "--address", cluster.address]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    run = subprocess.Popen([sys.executable, "-m", "storylens.cli", "analyze", SAMPLE, *on_ray], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    between = False
    while run.poll() is None and not between:
        between = _counts(db, "index_parts", "placements") == (True, False)
        if between:
            os.kill(run.pid, signal.SIGKILL)
        time.sleep(0.01)
    run.wait()
    assert between, "the run ended before it was seen between its index parts and its placements"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM placements").fetchone()[0] == 0
    for name, inputs in (("sample", SAMPLE), ("karabakh", str(KARABAKH))):
        again = storylens("analyze", inputs, *on_ray)
        assert again.returncode in (0, 3), again.stderr
        assert report(out) == expected[name], name


def _counts(db: Path, *tables: str) -> tuple[bool, ...]:
    """Whether each table has rows, read as another process would (False while the store is not made yet)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return tuple(conn.execute(f"SELECT EXISTS (SELECT 1 FROM {t})").fetchone()[0] == 1 for t in tables)
    except sqlite3.Error:
        return tuple(False for _ in tables)


def test_parquet_results_loaded_into_the_store_report_as_the_local_engine(tmp_path, local, cluster):
    """The workers write the story results as Parquet; `storylens load` brings them into the run's store."""
    db, parquet = str(tmp_path / "s.db"), str(tmp_path / "results")
    ray = ("--engine", "ray", "--address", cluster.address)
    ran = storylens("analyze", SAMPLE, "--db", db, *ray, "--parquet", parquet)
    assert ran.returncode == 0, ran.stderr
    assert "storylens load" in ran.stdout
    assert storylens("report", "--db", db).returncode == 4  # nothing in the store yet
    loaded = storylens("load", parquet, "--db", db)
    assert loaded.returncode == 0, loaded.stderr
    assert f"Loaded {len(local('sample')['stories'])} stories" in loaded.stdout
    assert storylens("report", "--db", db, "--json", str(tmp_path / "r.json")).returncode == 0
    assert report(tmp_path / "r.json") == local("sample")
    # a damaged file and results of another store's stories are named and skipped; the rest is loaded
    (Path(parquet) / "stories" / "damaged.parquet").write_bytes(b"PAR1 not really")
    other = storylens("load", parquet, "--db", str(tmp_path / "other.db"))
    assert other.returncode == 3
    assert "damaged.parquet" in other.stderr
    assert "no such story in this store" in other.stderr


def _many_small_inputs(folder: Path) -> Path:
    """The sample's files, each also under a second name (stored once), among unreadable ones: past the number
    of inputs from which the Ray engine reads on its workers."""
    folder.mkdir()
    for n, path in enumerate(sorted(Path(SAMPLE).iterdir())):
        shutil.copy(path, folder / path.name)
        shutil.copy(path, folder / f"copy_{n:02d}{path.suffix}")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin1.txt").write_bytes(
        "Caf\xe9 owners in the old town said on Monday the flood had ".encode("latin-1")
    )
    (folder / "broken.json").write_text('{"title": "Half a record", "text": "cut off', encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "one line"}\n{"text": \n', encoding="utf-8")
    markup = "<html><head><title><b>Dam</b> <script>alert(1)</script></title></head><body><p>Short.</p></body></html>"
    (folder / "markup.html").write_text(markup, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    return folder


def test_many_inputs_read_on_ray_workers_report_and_skip_as_the_local_engine(tmp_path, cluster):
    """Reading on Ray (`engine.ray_read`) stores what reading here stores, in the same order, and names the same
    unreadable inputs with the same reasons; the report is the local one."""
    from storylens.engine.local import POOL_THRESHOLD

    inputs = _many_small_inputs(tmp_path / "inputs")
    assert len(list(inputs.iterdir())) >= POOL_THRESHOLD
    runs = {}
    for engine, extra in (("local", []), ("ray", ["--engine", "ray", "--address", cluster.address])):
        db, out, skipped = (tmp_path / f"{engine}.{ext}" for ext in ("db", "json", "skipped"))
        done = storylens("analyze", str(inputs), "--db", str(db), "--json", str(out), "--skipped", str(skipped), *extra)
        assert done.returncode == 3, done.stderr  # some inputs skipped
        with sqlite3.connect(db) as conn:
            stored = conn.execute("SELECT id, text FROM articles ORDER BY rowid").fetchall()
        runs[engine] = (report(out), skipped.read_text(), stored)
    assert runs["ray"] == runs["local"]
    assert "pipe.txt" in runs["local"][1] and "binary.txt" in runs["local"][1]


def test_an_input_a_ray_worker_does_not_see_is_read_by_the_driver(tmp_path, cluster):
    """A path on the driver's own disk is absent on another node: the worker says so, and the driver reads it
    (here the file is gone for both, so the driver's reading names it as the local engine would)."""
    import pyarrow as pa
    import ray

    from storylens.engine.ray import connect
    from storylens.engine.ray_read import ABSENT, _read_on_ray, read_batch
    from storylens.ingest import read_one

    here, gone = tmp_path / "here.txt", tmp_path / "gone.txt"
    here.write_text("Workers at the port of Brask walked out on Monday over pay and hours.", encoding="utf-8")
    names = [str(here), str(gone)]
    options = {"fields": {}}
    answered = read_batch(pa.table({"input": [0, 1], "name": names}), max_bytes=1 << 20, options=options)
    assert answered["kinds"].to_pylist() == [["article"], [ABSENT]]
    connect(cluster.address, None)
    try:
        read = list(_read_on_ray(names, 1 << 20, options))
    finally:
        ray.shutdown()
    assert read == [list(read_one(name, max_bytes=1 << 20, options=options)) for name in names]
    assert "gone.txt" in read[1][0].path


@pytest.mark.corpus
def test_ctrl_c_ends_a_ray_run_without_waiting_for_its_parse(tmp_path, cluster):
    """Ctrl-C (SIGINT) once the parse has stored its first batch: the run stops its parse on Ray rather than
    waiting for it to end, says it was aborted without a traceback, and leaves a sound store."""
    corpus = CORPORA / "ecbplus" / "ecbplus_docs.jsonl"  # about a thousand articles: a parse of a minute or more
    db = tmp_path / "s.db"
    args = ["analyze", str(corpus), "--db", str(db), "--engine", "ray", "--address", cluster.address]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    # Ctrl-C as at a terminal: a suite started in the background by a shell inherits SIGINT ignored
    run = subprocess.Popen([sys.executable, "-m", "storylens.cli", *args], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # fmt: skip
    parsing = False
    while run.poll() is None and not parsing:
        parsing = _counts(db, "annotations") == (True,)
        time.sleep(0.05)
    assert parsing, "the run ended before its parse stored anything"
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=600)
    assert run.returncode != 0
    assert "Aborted" in stderr and "Traceback" not in stderr, stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        parsed = conn.execute("SELECT COUNT(*) FROM annotations").fetchone()[0]
    assert 0 < parsed < articles  # stopped, not waited for


def test_inputs_whose_ray_reader_dies_every_time_are_skipped_by_name_and_the_rest_stored(tmp_path, cluster):
    """Every worker seen reading is SIGKILLed: the tries are bounded, and each input ends stored or skipped with
    the reason (`ingest` alone: the run's analysis is not what is tried here)."""
    from storylens.engine.local import ingest
    from storylens.engine.ray_read import ray_reader
    from storylens.store import Store

    inputs = _many_small_inputs(tmp_path / "inputs")
    names = sorted(p.name for p in inputs.iterdir())
    stop = threading.Event()
    killed: set[int] = set()

    def kill_readers() -> None:
        while not stop.is_set():
            worker = _worker_running("MapBatches(read_batch)")
            if worker is not None and worker not in killed:
                os.kill(worker, signal.SIGKILL)
                killed.add(worker)
            time.sleep(0.01)

    killer = threading.Thread(target=kill_readers, daemon=True)
    killer.start()
    try:
        with Store(tmp_path / "s.db") as store:
            summary = ingest([str(inputs)], store, reader=ray_reader(cluster.address, None))
            stored = {path for (path,) in store.conn.execute("SELECT path FROM article_paths")}
    finally:
        stop.set()
        killer.join()
        import ray

        ray.shutdown()  # this process's connection; the cluster stays up
    died = {Path(s.path).name for s in summary.skipped if "Ray reader failed" in s.reason}
    assert killed and died
    assert len(killed) >= 3  # a batch and its retries, at least
    other = {Path(s.path).name for s in summary.skipped} - died
    assert {"pipe.txt", "empty.txt"} <= other | died
    assert died | other | {Path(p).name for p in stored} == set(names)


def test_load_of_a_folder_without_results_says_what_it_expected(tmp_path):
    (tmp_path / "empty").mkdir()
    refused = storylens("load", str(tmp_path / "empty"), "--db", str(tmp_path / "s.db"))
    assert refused.returncode == 4
    assert "no story results here" in refused.stderr


@pytest.mark.corpus
def test_a_worker_killed_in_the_story_stage_is_retried_and_the_report_is_unchanged(tmp_path, local, cluster, ecbplus):
    """ECB+ on the two-node cluster; the first worker seen running a story batch is SIGKILLed."""
    expected = local("ecbplus")
    db, out = tmp_path / "s.db", tmp_path / "r.json"
    args = ["analyze", ecbplus, "--db", str(db), "--json", str(out), "--engine", "ray", "--address", cluster.address]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    run = subprocess.Popen([sys.executable, "-m", "storylens.cli", *args], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)  # fmt: skip
    killed = None
    while run.poll() is None and killed is None:
        killed = _worker_running("MapBatches(story_batch)")
        if killed is None:
            time.sleep(0.05)
        else:
            os.kill(killed, signal.SIGKILL)
    assert killed is not None, "no Ray worker was seen running the story stage"
    assert run.poll() is None  # killed while the run went on
    _, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    assert report(out) == expected


def test_a_story_that_kills_its_worker_every_time_is_recorded_as_failed(tmp_path, cluster):
    """Every Ray worker seen running the story stage is SIGKILLed, as a story that crashes its process would
    do: the retries are bounded, and the run ends with exit 3 and a report naming the failed step."""
    db, out = tmp_path / "s.db", tmp_path / "r.json"
    args = ["analyze", SAMPLE, "--db", str(db), "--json", str(out), "--engine", "ray", "--address", cluster.address]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    run = subprocess.Popen([sys.executable, "-m", "storylens.cli", *args], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)  # fmt: skip
    killed: set[int] = set()
    deadline = time.monotonic() + 900
    while run.poll() is None and time.monotonic() < deadline:
        worker = _worker_running("MapBatches(story_batch)")
        if worker is not None and worker not in killed:
            os.kill(worker, signal.SIGKILL)
            killed.add(worker)
        time.sleep(0.05)
    assert run.poll() is not None, "the run went on retrying"
    _, stderr = run.communicate()
    assert run.returncode == 3, stderr
    assert len(killed) >= 3  # the batch and its retries, at least
    stories = report(out)["stories"]
    assert len(stories) >= 2
    for story in stories:
        assert [e["stage"] for e in story["errors"]] == ["worker"], story["errors"]
        assert "Ray worker" in story["errors"][0]["error"]


def _worker_running(task: str) -> int | None:
    """A worker process of this test's cluster (a descendant of this process) running `task`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if task in title and _descends_from_here(int(entry.name)):
            return int(entry.name)
    return None


def _descends_from_here(pid: int) -> bool:
    while pid > 1:
        if pid == os.getpid():
            return True
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return False
        pid = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the state: the parent id
    return False


@pytest.mark.corpus
def test_without_ray_the_ray_engine_says_how_to_install_it(tmp_path):
    """Ray hidden from the interpreter, as on an install without the extra; the local engine still works."""
    hide_ray = "import sys; sys.modules['ray'] = None; from storylens.cli import main; main()"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", hide_ray, "analyze", str(KARABAKH), "--db",
                               str(tmp_path / "s.db"), *args], capture_output=True, text=True,
                              env={**os.environ, "COLUMNS": "200"})  # fmt: skip

    refused = run("--engine", "ray")
    assert refused.returncode == 2
    assert "pip install 'storylens[ray]'" in refused.stderr
    assert not (tmp_path / "s.db").exists()  # told before anything is read
    assert run().returncode == 3  # karabakh's gold.json is not an article; the articles are analysed


def test_alignments_made_by_the_driver_while_workers_are_busy_and_then_on_them_are_the_local_ones(tmp_path, cluster):
    """While the workers parse, the driver aligns the articles it placed itself; the moment they are free, the
    rest go to them. Either way the reuse found is the local engine's."""
    import ray

    from storylens.engine.local import ingest
    from storylens.engine.ray import connect
    from storylens.engine.ray_place import place_on_ray
    from storylens.engine.stories import place_new_articles
    from storylens.store import Store

    def placed(store: Store) -> tuple:
        rows = (store.conn.execute(sql).fetchall() for sql in ("SELECT * FROM placements ORDER BY 1",
                                                               "SELECT * FROM reuse ORDER BY 1, 2, 3, 4"))  # fmt: skip
        return tuple(rows)

    with Store(tmp_path / "local.db") as store:
        ingest([SAMPLE], store, max_bytes=1 << 30)
        place_new_articles(store)
        expected = placed(store)
    asked: list[int] = []
    measures: dict[str, float] = {}
    connect(cluster.address, None)
    try:
        with Store(tmp_path / "ray.db") as store:
            ingest([SAMPLE], store, max_bytes=1 << 30)
            place_on_ray(store, 2, measures=measures, busy=lambda: asked.append(1) or len(asked) <= 5)
            assert placed(store) == expected
    finally:
        ray.shutdown()
    assert measures["aligned_here"] == 5 and measures["alignment_bytes"] > 0  # and the rest on the workers
    assert expected[1]  # there is reuse to find


def test_the_candidates_read_from_the_shuffle_are_met_in_the_order_the_index_meets_them() -> None:
    """Rows come back from the shuffle's partitions in any order; an article's candidates are the earlier
    articles its rows met, by sentence, then band, each row's own list as it is (newest first)."""
    import numpy as np

    from storylens.engine.ray_place import _Met

    rows = [  # (order, sentence, band, met), as the partitions hand them back
        (7, 1, 0, [3]),
        (5, 0, 2, [2, 1]),
        (7, 0, 3, [4, 2]),
        (5, 0, 1, [1]),
        (7, 0, 1, [6]),
    ]
    columns = {name: np.array([r[i] for r in rows], np.int64) for i, name in enumerate(("order", "sentence", "band"))}
    met = _Met({**columns, "lengths": np.array([len(r[3]) for r in rows]),
                "others": np.array([o for r in rows for o in r[3]], np.int64)})  # fmt: skip
    assert met.of(5) == [1, 2, 1]
    assert met.of(7) == [6, 4, 2, 3]
    assert met.of(6) == [] and met.of(9) == []
    nothing = _Met({name: np.zeros(0, np.int64) for name in ("order", "sentence", "band", "lengths", "others")})
    assert nothing.of(5) == []


def test_the_shuffle_meets_what_the_index_meets_across_time_windows() -> None:
    """Placement's shuffle functions, run here on one partition, against `ReuseIndex.add`: articles over several
    time windows (a few undated), with buckets that fill, near-copies, and half of them saved before (only the
    saved rows of the windows the new half meets join). The same candidates, in the same order, and the same
    copies."""
    import random
    from datetime import date

    import pyarrow as pa

    from storylens.engine.ray_place import (
        _Met,
        article_features,
        bucket_meetings,
        doc_pairs,
        doc_rows,
        saved_tables,
        sentence_rows,
        undated_windows,
    )
    from storylens.model import Article
    from storylens.store.codec import encode
    from storylens.stories.cluster import ClusterParams
    from storylens.stories.reuse import ReuseIndex, ReuseParams, most_shared, pick_duplicate

    rng = random.Random(3)
    places = ["Orlen", "Vasko", "Tamsin", "Corvel", "Brask", "Lisk", "Harlow", "Dravmir"]
    pool = [f"The council in {p} said the {w} plan for the harbour would be reviewed by {n} engineers next week."
            for p in places for w, n in (("new", "four"), ("old", "nine"), ("flood", "twelve"))]  # fmt: skip
    articles: list[Article] = []
    for i in range(60):
        # the later half from day 20 on: the saved rows of the first two windows are not met
        day = None if i == 0 or rng.random() < 0.15 else 739_000 + rng.randrange(20 if i >= 30 else 0, 40)
        if articles and rng.random() < 0.25:  # a near-copy of an earlier article, on another day
            text = rng.choice(articles).text + " Updated."
        else:
            text = " ".join([f"Story {i} opens with its own words about the weather today.", *rng.sample(pool, 5)])
        published = None if day is None else date.fromordinal(day).isoformat()
        articles.append(Article(id=f"a{i}", text=text, published=published))
    reuse = ReuseParams(window_days=7, bucket_cap=4)
    whole = ReuseIndex(reuse)
    expected = [whole.add(a) for a in articles]

    base = 30
    before = ReuseIndex(reuse)
    for a in articles[:base]:
        before.add(a)
    batch = pa.table({"order": range(base, len(articles)), "article": [encode(a) for a in articles[base:]]})
    features = article_features(batch, ClusterParams(), reuse)
    assert features["reason"].null_count == len(features)  # all screened as articles
    windows, met = undated_windows([features], reuse, before.last_window)
    assert windows  # undated articles after dated ones, in the new half
    copies = {before.position[a] for a in before.duplicates}
    rows = before.new_rows()
    saved_sentences, saved_docs = saved_tables(rows, copies, reuse, 1, met)
    # the saved rows of windows no new article meets stay out of the shuffle
    assert set(saved_sentences["window"].to_pylist()) == set(rows.window.tolist()) & met
    assert len(saved_sentences) < len(rows.key)
    shuffled = pa.concat_tables([sentence_rows(features, 1, reuse, windows), saved_sentences])
    meetings = bucket_meetings(shuffled, reuse, base)
    lists = meetings["met"].combine_chunks()
    found = _Met({"order": meetings["order"].to_numpy(), "sentence": meetings["sentence"].to_numpy(),
                  "band": meetings["band"].to_numpy(), "lengths": lists.value_lengths().to_numpy(),
                  "others": lists.flatten().to_numpy()})  # fmt: skip
    pairs = doc_pairs(pa.concat_tables([doc_rows(features, 1, reuse, windows), saved_docs]), reuse, base)
    copied: dict[int, dict[int, float]] = {}
    for order, other, sim in zip(*(pairs[c].to_pylist() for c in ("order", "other", "similarity")), strict=True):
        copied.setdefault(order, {})[other] = sim
    duplicates = dict(before.duplicates)
    for order in range(base, len(articles)):
        similar = [articles[o].id for o in most_shared(found.of(order))]
        pick = pick_duplicate(sorted((o, s) for o, s in copied.get(order, {}).items()
                                     if articles[o].id not in duplicates), reuse)  # fmt: skip
        duplicate_of = None if pick is None else articles[pick].id
        if duplicate_of:
            duplicates[articles[order].id] = duplicate_of
        assert (duplicate_of, [s for s in similar if s != duplicate_of]) == (
            expected[order].duplicate_of, expected[order].similar), articles[order].id  # fmt: skip
    assert sum(bool(c.similar) for c in expected[base:]) > 10
    assert sum(c.duplicate_of is not None for c in expected[base:]) >= 2
