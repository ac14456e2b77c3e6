"""What a worker does with one story, whichever engine runs it: parse what has no parse yet, then the stage.

The engines differ only in where parses come from and go to: a local worker reads and writes the store,
a Ray worker gets the stored parses with the task and hands the new ones back with the result.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from storylens.errors import StorylensError
from storylens.model import StageError, Story, StoryInput, StoryResult

if TYPE_CHECKING:  # spaCy is imported where a pipeline is loaded, not by whoever imports the engine
    from spacy.language import Language

UNAVAILABLE = "resources"  # the store or memory failed, not the story: tried again on the next run

Parses = list[tuple[str, bytes]]  # (article id, parse bytes)


def story_stage(
    pipeline: Language,
    story: Story,
    budget_words: int,
    stored: Callable[[list[str]], dict[str, bytes]],
    keep: Callable[[Parses], None],
) -> tuple[StoryResult, dict[str, float], int]:
    """The story's result, the seconds spent parsing (what was not parsed yet) and in the stage, and how
    many articles it parsed. `stored(ids)` gives the kept parses of these articles; `keep(parses)` keeps
    the new ones."""
    from storylens.analysis import analyze_story
    from storylens.engine.parse import docs_from, headline_docs

    started = time.perf_counter()
    try:
        docs, new = docs_from(pipeline, story.articles, stored([a.id for a in story.articles]))
        keep(new)
        titles = headline_docs(pipeline, story.originals)
    except (OSError, MemoryError, sqlite3.Error, StorylensError) as err:
        failed = StoryResult(story.id, errors=[StageError(UNAVAILABLE, f"{type(err).__name__}: {err}")])
        return failed, {"parse": time.perf_counter() - started}, 0
    except Exception as err:  # a text spaCy cannot take, a damaged stored parse: this story fails, the run goes on
        failed = StoryResult(story.id, errors=[StageError("parse", f"{type(err).__name__}: {err}")])
        return failed, {"parse": time.perf_counter() - started}, 0
    parsed = time.perf_counter()
    result = analyze_story(StoryInput(story, docs, titles, budget_words))
    return result, {"parse": parsed - started, "stage": time.perf_counter() - parsed}, len(new)
