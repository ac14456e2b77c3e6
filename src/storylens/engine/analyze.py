"""`storylens analyze`: place new articles into stories, then analyse each story whose inputs changed.

A story's analysis is kept in the store with a hash of what it was computed from (its members, their
reuse, the analysis version, the settings); a story whose hash is unchanged is not analysed again, so a
second run on the same files does no analysis at all, and new articles redo only the stories they join.

Stories are analysed in worker processes, one story per task, largest first (so that one big story does
not finish last): each worker loads the spaCy pipeline once, parses what the store has no parse of, and
runs the pure per-story stage. The main process alone writes to the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import astuple, dataclass, field
from importlib import metadata

from storylens.analysis import ANALYSIS_VERSION, analyze_story
from storylens.compare.claims import comparable
from storylens.compare.related import MIN_SHARED_NAMES, entity_keys, shared_figures
from storylens.engine.stories import place_new_articles
from storylens.model import (
    AnalysisSettings,
    AnalyzedStory,
    Article,
    CrossStoryAgreement,
    StageError,
    StatedClaim,
    Story,
    StoryInput,
    StoryLinks,
    StoryResult,
)
from storylens.store import Store
from storylens.store.codec import decode, encode

# Below this many articles to analyse, starting worker processes (each loads spaCy) costs more than it saves.
POOL_THRESHOLD = 40
SAVE_EVERY = 64  # stories whose results are written per transaction
IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker: enough to keep it busy, few enough to bound memory
WORKER_DIED = "worker"

PHASES = ("place", "parse", "stage", "save", "link")

Progress = Callable[[str, int, int], None]


@dataclass
class AnalyzeSummary:
    """What one run did: the stories the given articles belong to, how many were analysed now and how
    many were already current in the store, the parses it made, and the failed steps of each story."""

    stories: list[str] = field(default_factory=list)
    analysed: int = 0
    current: int = 0
    parsed: int = 0
    failed: dict[str, list[StageError]] = field(default_factory=dict)
    # seconds per phase: `place` and `save` in this process, `parse` and `stage` summed over the workers
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PHASES, 0.0))


def analyze(
    store: Store, ids: list[str], settings: AnalysisSettings, progress: Progress | None = None
) -> AnalyzeSummary:
    """Analyse the stories that the articles `ids` belong to, where their stored analysis is not current."""

    def tell(phase: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(phase, done, total)) if progress else None

    summary = AnalyzeSummary()
    started = time.perf_counter()
    place_new_articles(store, on_progress=tell("stories"))
    summary.seconds["place"] = time.perf_counter() - started
    placed = store.placements(ids)
    summary.stories = list(dict.fromkeys(placed[i][0] for i in ids if i in placed))
    stories = _stories(store, summary.stories, with_text=False)
    key = settings_key(settings)
    inputs = {s.id: inputs_hash(s, key) for s in stories}
    stored = store.result_inputs(summary.stories)
    stale = [s for s in stories if stored.get(s.id) != inputs[s.id]]
    summary.current = len(stories) - len(stale)
    if stale:
        _analyze_stale(store, stale, inputs, key, settings, summary, tell("analyze"))
        started = time.perf_counter()
        _link(store, [s.id for s in stale], tell("link"))
        summary.seconds["link"] = time.perf_counter() - started
    for story_id, data in store.results(summary.stories).items():
        errors = decode(StoryResult, data).errors
        if errors:
            summary.failed[story_id] = errors
    return summary


def settings_key(settings: AnalysisSettings) -> str:
    """The settings that change results, with the spaCy pipeline and its installed version."""
    from storylens import nlp  # the name only: deciding whether anything is stale must not load spaCy

    model = nlp.model_name(settings.model)
    try:
        version = metadata.version(model.replace("_", "-"))
    except (metadata.PackageNotFoundError, ValueError):
        version = ""
    return f"{settings.key()};model={model}-{version}"


def inputs_hash(story: Story, key: str) -> str:
    """Names what a story's analysis is computed from: equal hashes, equal results."""
    described = [
        ANALYSIS_VERSION,
        key,
        [(a.id, story.duplicate_of.get(a.id)) for a in story.articles],
        [astuple(r) for r in story.reuse],
    ]
    return hashlib.sha256(json.dumps(described).encode("utf-8")).hexdigest()[:32]


def analyzed_stories(
    store: Store, story_ids: list[str], ids: list[str] = ()
) -> tuple[list[AnalyzedStory], list[tuple[Article, str]]]:
    """What a report shows, from the store: the stories and their stored analyses (stories never analysed
    are left out), and the texts among the articles `ids` that are not news, with the reason."""
    results = store.results(story_ids)
    stories = _stories(store, [s for s in story_ids if s in results], with_text=True)
    wanted = set(ids)
    set_aside = [(a, reason) for a, reason in store.not_articles() if a in wanted]
    articles = {a.id: a for a in store.articles_by_id(a for a, _ in set_aside)}
    analysed = [AnalyzedStory(s, decode(StoryResult, results[s.id])) for s in stories]
    _add_related(store, analysed)
    return analysed, [(articles[a], reason) for a, reason in set_aside]


def _add_related(store: Store, analysed: list[AnalyzedStory]) -> None:
    """The figures each story agrees on with other stories in the store, with the articles they stand in."""
    links = store.links([a.story.id for a in analysed])
    for item in analysed:
        for data in links.get(item.story.id, []):
            item.related += decode(StoryLinks, data).agreements
    wanted = {c.article for item in analysed for link in item.related for c in link.claims}
    articles = {a.id: a for a in store.articles_by_id(sorted(wanted))}
    for item in analysed:
        for link in item.related:
            link.articles = [articles[i] for i in dict.fromkeys(c.article for c in link.claims)]


def _link(store: Store, redone: list[str], on_progress: Callable[[int, int], None] | None) -> None:
    """Figures the stories just analysed agree on with other analysed stories that share their names, kept
    for both sides (a story's links are redone whenever it or the other story is)."""
    claims: dict[str, list] = {}

    def claims_of(story_ids: list[str]) -> None:
        missing = [s for s in story_ids if s not in claims]
        for story_id, data in store.results(missing).items():
            claims[story_id] = comparable(decode(StoryResult, data).claims)

    rows: dict[tuple[str, str], bytes] = {}
    for done, story_id in enumerate(redone, start=1):
        others = store.stories_sharing_names(story_id, MIN_SHARED_NAMES)
        names = store.story_names([story_id, *others])
        claims_of([story_id, *others])
        for other in others:
            groups = shared_figures(story_id, claims[story_id], other, claims[other], names[story_id] & names[other])
            for this, that in ((story_id, other), (other, story_id)):
                shown = {c.id: c for c in claims[that]}
                agreements = [
                    CrossStoryAgreement(g, that, [_plain(shown[c]) for c in g.claims if c in shown]) for g in groups
                ]
                if agreements:
                    rows[(this, that)] = encode(StoryLinks(this, that, agreements))
        if on_progress:
            on_progress(done, len(redone))
    store.put_links(redone, [(a, b, data) for (a, b), data in rows.items()])


def _plain(claim: StatedClaim) -> StatedClaim:
    return StatedClaim(claim.id, claim.article, claim.claim, claim.sentence, claim.source)


def _stories(store: Store, story_ids: list[str], *, with_text: bool) -> list[Story]:
    members = store.story_members(story_ids)
    reuse = store.reuse_within(story_ids)
    wanted = [a for s in story_ids for a, _ in members.get(s, [])]
    if with_text:
        articles = {a.id: a for a in store.articles_by_id(wanted)}
    else:  # enough to tell whether a story changed: ids
        articles = {a: Article(id=a, text="") for a in wanted}
    return [
        Story(
            id=s,
            articles=[articles[a] for a, _ in members[s]],
            duplicate_of={a: d for a, d in members[s] if d},
            reuse=reuse.get(s, []),
        )
        for s in story_ids
        if s in members
    ]


def _analyze_stale(
    store: Store,
    stale: list[Story],
    inputs: dict[str, str],
    key: str,
    settings: AnalysisSettings,
    summary: AnalyzeSummary,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    stale = sorted(stale, key=lambda s: -len(s.articles))  # the biggest first: no straggler at the end
    total = sum(len(s.articles) for s in stale)
    done = 0
    pending: list[tuple[str, str, int, str, bytes, int, set[str]]] = []
    parses: list[tuple[str, bytes]] = []

    def save() -> None:
        started = time.perf_counter()
        if parses:
            from storylens import nlp

            store.put_annotations(nlp.pipeline_id(nlp.load(settings.model)), parses)
            parses.clear()
        store.put_results(pending)
        pending.clear()
        summary.seconds["save"] += time.perf_counter() - started

    for story, result, new_parses, seconds in _run_stage(store, stale, settings, total):
        for phase, spent in seconds.items():
            summary.seconds[phase] += spent
        # a story whose worker died is not known to fail by itself: no inputs hash, so the next run retries it
        retry = any(e.stage == WORKER_DIED for e in result.errors)
        names = entity_keys(result.entities)
        inputs_key = "" if retry else inputs[story.id]
        pending.append((story.id, inputs_key, ANALYSIS_VERSION, key, encode(result), len(result.errors), names))
        parses.extend(new_parses)
        summary.analysed += 1
        summary.parsed += len(new_parses)
        done += len(story.articles)
        if len(pending) >= SAVE_EVERY:
            save()
        if on_progress:
            on_progress(done, total)
    save()


def _run_stage(
    store: Store, stories: list[Story], settings: AnalysisSettings, articles: int
) -> Iterator[tuple[Story, StoryResult, list[tuple[str, bytes]], dict[str, float]]]:
    """(story, its result, the parses made for it, seconds per phase) for every story, as they finish. Texts are
    read as tasks are handed out, so memory holds the stories in flight, not the archive."""
    jobs = settings.jobs or os.cpu_count() or 1
    tasks = ((_with_texts(store, s), settings.model, settings.budget_words) for s in stories)
    if jobs <= 1 or articles < POOL_THRESHOLD or len(stories) < 2:
        _start_worker(str(store.path), settings.model)
        for task in tasks:
            yield task[0], *_analyze_in_worker(*task)
    else:
        yield from _in_pool(tasks, jobs, str(store.path), settings.model)


def _with_texts(store: Store, story: Story) -> Story:
    articles = {a.id: a for a in store.articles_by_id(a.id for a in story.articles)}
    return Story(story.id, [articles[a.id] for a in story.articles], story.duplicate_of, story.reuse)


def _in_pool(tasks: Iterator[tuple], jobs: int, db: str, model: str | None) -> Iterator:
    """Runs tasks in a pool with a bounded queue. A worker that dies (killed, out of memory) fails the
    stories in flight, with that as their error (they are tried again on the next run), and a new pool
    takes the rest."""
    queue = iter(tasks)
    more = True
    while more:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(db, model)) as pool:
            running: dict[Future, tuple] = {}
            try:
                while more or running:
                    while more and len(running) < jobs * IN_FLIGHT_PER_WORKER:
                        task = next(queue, None)
                        if task is None:
                            more = False
                            break
                        running[pool.submit(_analyze_in_worker, *task)] = task
                    if not running:
                        break
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        task = running.pop(future)
                        yield task[0], *future.result()
            except BrokenProcessPool as err:
                for task in running.values():
                    died = StageError(WORKER_DIED, f"the worker process died ({err}); it is tried again next run")
                    yield task[0], StoryResult(task[0].id, errors=[died]), [], {}


# -- in the worker process --------------------------------------------------------------------------

_worker: dict = {}


def _start_worker(db: str, model: str | None) -> None:
    """Once per worker process: the pipeline and a read connection to the store."""
    from storylens import nlp

    _worker["pipeline"] = nlp.load(model)
    if _worker.get("db") != db:
        _worker["store"] = Store(db)
        _worker["db"] = db


def _analyze_in_worker(story: Story, model: str | None, budget_words: int) -> tuple[StoryResult, list, dict]:
    """The story's result, the parses made for it, and the seconds spent parsing and in the stage."""
    from storylens.engine.parse import docs_for, headline_docs

    pipeline = _worker["pipeline"]
    started = time.perf_counter()
    try:
        docs, new = docs_for(_worker["store"], pipeline, story.articles)
        titles = headline_docs(pipeline, story.originals)
    except Exception as err:  # a text spaCy cannot take: this story fails, the run goes on
        failed = StoryResult(story.id, errors=[StageError("parse", f"{type(err).__name__}: {err}")])
        return failed, [], {"parse": time.perf_counter() - started}
    parsed = time.perf_counter()
    result = analyze_story(StoryInput(story, docs, titles, budget_words))
    return result, new, {"parse": parsed - started, "stage": time.perf_counter() - parsed}
