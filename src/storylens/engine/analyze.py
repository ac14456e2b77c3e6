"""`storylens analyze`: place new articles into stories, then analyse each story whose inputs changed.

A story's analysis is kept in the store with a hash of what it was computed from (its members, their
reuse, the analysis version, the settings); a story whose hash is unchanged is not analysed again, so a
second run on the same files does no analysis at all, and new articles redo only the stories they join.

New articles are parsed in worker processes (engine/pool.py) while this process places them into stories;
then the stale stories go through the pure per-story stage in the same workers, one story per task,
largest first (so that one big story does not finish last). Results are written here, in batches.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass, field
from importlib import metadata
from typing import Protocol

from storylens.compare.related import entity_keys
from storylens.engine.links import add_links, link
from storylens.engine.pool import PARSE_CHUNK, RETRIED, Finished, Workers, default_jobs
from storylens.model import ANALYSIS_VERSION, AnalysisSettings, AnalyzedStory, Article, StageError, Story, StoryResult
from storylens.store import Store
from storylens.store.codec import decode, encode

# Below this many articles to parse or analyse, starting worker processes (each loads spaCy) costs more
# than it saves: they are done in this process.
POOL_THRESHOLD = 40
SAVE_EVERY = 64  # stories whose results are written per transaction

PHASES = ("place", "parse", "stage", "save", "link")

Progress = Callable[[str, int, int], None]
# (story id, inputs hash, analysis version, settings key, encoded result, failed steps, entity names)
ResultRow = tuple[str, str, int, str, bytes, int, set[str]]


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


class StageWorkers(Protocol):
    """What runs the parse and the story stage: local worker processes (engine/pool.py) or Ray (engine/ray.py)."""

    parse_seconds: float
    parsed: int

    def start_parsing(self, ids: list[str]) -> None: ...
    def place(self, store: Store, on_progress: Callable[[int, int], None] | None, window_days: int | None) -> int: ...
    def finish_parsing(self) -> Iterator[int]: ...
    def run_stories(self, tasks: Iterable[tuple[Story, int]], articles: int) -> Iterator[Finished]: ...
    def __enter__(self) -> StageWorkers: ...
    def __exit__(self, *exc: object) -> None: ...


WorkersFor = Callable[[Store, AnalysisSettings], StageWorkers]


def local_workers(store: Store, settings: AnalysisSettings) -> StageWorkers:
    return Workers(str(store.path), settings.model, default_jobs(settings.jobs), POOL_THRESHOLD)


def analyze(
    store: Store,
    ids: list[str],
    settings: AnalysisSettings,
    progress: Progress | None = None,
    workers_for: WorkersFor = local_workers,
) -> AnalyzeSummary:
    """Analyse the stories that the articles `ids` belong to, where their stored analysis is not current.
    `workers_for` chooses the engine that parses and runs the story stage; placement and saving run here."""

    def tell(phase: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(phase, done, total)) if progress else None

    summary = AnalyzeSummary()
    waiting = set(store.unplaced())
    new = [i for i in ids if i in waiting]  # articles never analysed: parsed while they are placed
    with workers_for(store, settings) as workers:
        workers.start_parsing(new)
        started = time.perf_counter()
        workers.place(store, tell("stories"), settings.window_days)
        summary.seconds["place"] = time.perf_counter() - started
        chunks = -(-len(new) // PARSE_CHUNK)
        for done in workers.finish_parsing():
            if progress:
                progress("parse", done, chunks)
        placed = store.placements(ids)
        summary.stories = list(dict.fromkeys(placed[i][0] for i in ids if i in placed))
        stories = _stories(store, summary.stories, with_text=False)
        key = settings_key(settings)
        inputs = {s.id: inputs_hash(s, key) for s in stories}
        stored = store.result_inputs(summary.stories)
        stale = [s for s in stories if stored.get(s.id) != inputs[s.id]]
        summary.current = len(stories) - len(stale)
        if stale:
            _analyze_stale(store, workers, stale, inputs, key, settings, summary, tell("analyze"))
        summary.seconds["parse"] += workers.parse_seconds
        summary.parsed += workers.parsed
    # every story analysed and not linked yet: this run's, and any a killed run left unlinked
    unlinked = store.unlinked()
    if unlinked:
        started = time.perf_counter()
        link(store, unlinked, tell("link"))
        summary.seconds["link"] = time.perf_counter() - started
    failing = [s for s, (_, errors) in store.result_summaries(summary.stories).items() if errors]
    for story_id, data in store.results(failing).items():
        summary.failed[story_id] = decode(StoryResult, data).errors
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
    set_aside = store.not_articles(ids)
    articles = {a.id: a for a in store.articles_by_id(a for a, _ in set_aside)}
    analysed = [AnalyzedStory(s, decode(StoryResult, results[s.id])) for s in stories]
    add_links(store, analysed)
    return analysed, [(articles[a], reason) for a, reason in set_aside]


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
    workers: StageWorkers,
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
    pending: list[ResultRow] = []

    def save() -> None:
        started = time.perf_counter()
        store.put_results(pending)
        pending.clear()
        summary.seconds["save"] += time.perf_counter() - started

    # texts are read as tasks are handed out, so memory holds the stories in flight, not the archive
    tasks = ((_with_texts(store, s), settings.budget_words) for s in stale)
    for story, result, seconds, parsed in workers.run_stories(tasks, total):
        summary.parsed += parsed
        for phase, spent in seconds.items():
            summary.seconds[phase] += spent
        pending.append(result_row(story.id, result, inputs[story.id], key))
        summary.analysed += 1
        done += len(story.articles)
        if len(pending) >= SAVE_EVERY:
            save()
        if on_progress:
            on_progress(done, total)
    save()


def result_row(story_id: str, result: StoryResult, inputs: str, key: str) -> ResultRow:
    """What the store keeps of a story's result (`Store.put_results`). A story whose worker died, or that found
    the store or memory failing, is not known to fail by itself: no inputs hash, so the next run tries it again."""
    retry = any(e.stage in RETRIED for e in result.errors)
    names = entity_keys(result.entities)
    return story_id, "" if retry else inputs, ANALYSIS_VERSION, key, encode(result), len(result.errors), names


def _with_texts(store: Store, story: Story) -> Story:
    articles = {a.id: a for a in store.articles_by_id(a.id for a in story.articles)}
    return Story(story.id, [articles[a.id] for a in story.articles], story.duplicate_of, story.reuse)
