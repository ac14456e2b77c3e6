"""Stories past their time window, kept out of the open story index.

A story closes when the newest dated article is more than two time windows past its latest one: no article
of that time can join it any more, so it leaves the inverted index that dated arrivals search. Only an
undated article, or one older than the open window (a late arrival, an article looked at again at the end of
a run), searches the closed stories as well, and may still join or leave one.

`ClosedStories` holds them in memory. Attached to a store (`attach`), it holds only the stories closed or
changed since they were last written there, writes them when they are many (`FLUSH_AT`, between two
arrivals) or when the tracker is saved, and reads the others back on demand through a small cache: the
story index in memory then grows with the stories of the last weeks, not with the archive.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

FLUSH_AT = 2000  # closed or changed stories held before they are written to an attached store
CACHE = 4096  # closed stories read back from the store and kept, the most recently used


@dataclass
class Story:
    id: str
    terms: dict[str, float]  # summed, per-article (per-class) L2-normalised sublinear term frequencies
    size: int = 0
    first: int | None = None  # date ordinals of the earliest and latest article with a `published` date
    last: int | None = None
    seen_first: int | None = None  # the same over published dates and datelines found in the text
    seen_last: int | None = None
    indexed: list[str] = field(default_factory=list)  # the terms under which it sits in the inverted index
    closed: bool = False

    def state(self) -> dict:
        return {
            "id": self.id,
            "terms": self.terms,
            "size": self.size,
            "first": self.first,
            "last": self.last,
            "seen_first": self.seen_first,
            "seen_last": self.seen_last,
            "indexed": self.indexed,
            "closed": self.closed,
        }

    @classmethod
    def from_state(cls, s: dict) -> Story:
        story = cls(s["id"], dict(s["terms"]), s["size"], s["first"], s["last"])
        story.seen_first, story.seen_last = s.get("seen_first", s["first"]), s.get("seen_last", s["last"])
        story.indexed, story.closed = list(s["indexed"]), s.get("closed", False)
        return story


class StoryStore(Protocol):
    """Where closed stories are written (the engines' store): each as its state with its members, or None
    for a story that no longer exists."""

    def write(self, records: dict[str, dict | None]) -> None: ...

    def read(self, story_ids: list[str]) -> dict[str, dict]: ...

    def search(self, terms: list[str], at_most: int) -> dict[str, set[str] | None]:
        """term -> the stories indexed under it, or None for a term under which more than `at_most` are."""
        ...


class ClosedStories:
    """The closed stories of a `StoryIndex`: in memory, or, once a store is attached, in it."""

    def __init__(self) -> None:
        self.held: dict[str, Story] = {}  # every closed story, or those not yet written to the store
        self.members_of: dict[str, list[str]] = {}  # their article ids, in arrival order
        self.postings: dict[str, set[str]] = defaultdict(set)  # index term -> held story ids
        self.dropped: set[str] = set()  # stories gone since the last write
        self.store: StoryStore | None = None
        self.cache: OrderedDict[str, tuple[Story, list[str]]] = OrderedDict()

    def attach(self, store: StoryStore) -> None:
        self.store = store

    def add(self, story: Story, members: list[str]) -> None:
        """A story that closes now, or a closed one that changed (`get` gives it back to change it)."""
        self.cache.pop(story.id, None)
        self.dropped.discard(story.id)
        if story.id not in self.held:
            self.held[story.id] = story
            self.members_of[story.id] = members
            for term in story.indexed:
                self.postings[term].add(story.id)

    def hold(self, story: Story) -> None:
        """Keep a closed story (the very object about to change) in memory until it is written again."""
        if story.id not in self.held:
            found = self.get(story.id)
            self.add(story, found[1] if found else [])

    def get(self, story_id: str) -> tuple[Story, list[str]] | None:
        """A closed story and its members (to change them, then `add` them back), or None."""
        if story_id in self.held:
            return self.held[story_id], self.members_of[story_id]
        if story_id in self.dropped or self.store is None:
            return None
        if story_id not in self.cache:
            record = self.store.read([story_id]).get(story_id)
            if record is None:
                return None
            self.cache[story_id] = Story.from_state(record), list(record["members"])
            if len(self.cache) > CACHE:
                self.cache.popitem(last=False)
        self.cache.move_to_end(story_id)
        return self.cache[story_id]

    def reindex(self, story: Story, terms: list[str]) -> None:
        """A held story's index terms change."""
        for term in set(story.indexed) - set(terms):
            self.postings[term].discard(story.id)
        for term in terms:
            self.postings[term].add(story.id)
        story.indexed = terms

    def drop(self, story_id: str) -> None:
        story = self.held.pop(story_id, None)
        if story is not None:
            self.reindex(story, [])
            del self.members_of[story_id]
        self.cache.pop(story_id, None)
        self.dropped.add(story_id)

    def search(self, terms: Iterable[str], max_posting: int) -> dict[str, set[str]]:
        """term -> closed stories indexed under it, for the terms under which at most `max_posting` are."""
        found = {t: set(self.postings.get(t, ())) for t in terms}
        if self.store is not None:
            changed = self.held.keys() | self.dropped  # the store's rows of these are out of date
            for term, stories in self.store.search(list(found), max_posting + len(changed)).items():
                if stories is None:  # more than `max_posting` even if every changed one had left it
                    del found[term]
                else:
                    found[term] |= stories - changed
        return {term: stories for term, stories in found.items() if len(stories) <= max_posting}

    def flush(self, when_full: bool = False) -> None:
        """Write what is held to the attached store (with `when_full`, only once `FLUSH_AT` stories are; in
        memory only, nothing to do). Never while a held story changes: what changes after is not written."""
        if self.store is None or not (self.held or self.dropped) or (when_full and len(self.held) < FLUSH_AT):
            return
        records: dict[str, dict | None] = dict.fromkeys(self.dropped)
        for story_id, story in self.held.items():
            records[story_id] = {**story.state(), "members": self.members_of[story_id]}
        self.store.write(records)
        self.held, self.members_of, self.dropped = {}, {}, set()
        self.postings = defaultdict(set)

    def __len__(self) -> int:
        return len(self.held)
