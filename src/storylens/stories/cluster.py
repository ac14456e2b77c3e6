"""Online story clustering: each arriving article joins the most similar story or starts a new one.

The approach of streaming news clusterers (Miranda et al. 2018; the centroid method of Google-News
style systems): a story is a centroid of term counts with IDF taken from everything seen so far.
An arriving article is compared with a few candidate stories (from an inverted index over each
centroid's top terms, never with all of them) through several similarities: body words, names,
headline and lead, numbers, years mentioned, weekdays and dates named in the lead, days between
dates, how much of the article's top words the story holds and how many of its lead's names are new to
the story. A logistic model over those similarities, learned on the ECB+ train split
(`benchmarks/stories_quality.py` re-learns and prints it), gives the probability that the article
belongs to the story; it joins its best story when that probability passes a threshold (chosen on
the dev splits of ECB+ and of long web articles) and its date falls in the story's time window.
With `weights=None` the join score is the plain body cosine, the first version of this module.

An online pass depends on the order articles arrive in: an article that came before its story had
formed starts a story of its own, and the story's later articles never meet it again. So at the end of
each run (`reseat`), the articles placed with little certainty since the last run (those that started a
story or joined one with a probability below `sure_join`) are looked at once more against the stories
as they now stand, and move to a story they fit better than their own.

Look-alike stories (two earthquakes in one province, two rounds of talks on one conflict) share most
of their words: the learned weights let a year, a weekday or a set of names that disagree outweigh
that overlap.

A story closes for good once the newest dated articles are more than two windows past its latest one: it
leaves the inverted index and, when a store is attached, memory (`stories.closed`); undated articles, and
dated ones older than the open stories' time, still search the closed stories.

Everything the next batch needs (document frequencies, open stories' centroids, the inverted index) is in
`StoryIndex`, which round-trips through `state()` / `from_state()` (plain JSON types).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from storylens.model import Article
from storylens.stories.closed import ClosedStories, Story
from storylens.stories.features import (
    WEEKDAYS,
    article_terms,
    dateline_date,
    event_terms,
    headline_words,
    published_day,
)

# The join model learned what a story's size says from stories of at most 22 articles (ECB+; Multi-News
# clusters are smaller). It is not carried on beyond what it saw: a wire story reprinted by hundreds of
# outlets would otherwise refuse its next copy for being large (and its shared words have lost their IDF).
SIZE_SEEN = 32
# The similarities fed to the join model, in the order of `ClusterParams.weights[1:]`.
FEATURES = (
    "body",  # TF-IDF cosine over content words and names (the first version's only signal)
    "names",  # cosine over capitalised runs only
    "head",  # cosine between the article's headline + lead and the story's headlines + leads (words)
    "lead_names",  # the same over names in headlines and leads
    "numbers",  # cosine over numbers that are not years
    "lead_numbers_conflict",  # 1 when both name numbers in their headline/lead and share none
    "years",  # cosine over years named in headlines and leads (datelines included)
    "years_conflict",  # 1 when both name years there and share none
    "when",  # weekdays / dates named in both leads: 1 the same day, -1 three or more days apart; 0 unknown
    "days",  # dates (published, else dateline): 1 same day, 0 a month apart, -1 years apart; 0 when either has none
    "size",  # log(1 + articles in the story), counted up to SIZE_SEEN articles
    "top_terms",  # share of the article's highest-weighted body words that the story's centroid holds
    "new_lead_names",  # share of the names in the article's headline/lead that the story never names
)
# Intercept, then one weight per FEATURES entry: logistic regression on the ECB+ train split (25 topics), and
# the join probability with the best BCubed F1 averaged over two dev sets, ECB+ dev (short wire copy) and
# Multi-News clusters 1-25 (long web articles), among those that keep karabakh exact in every arrival order
# (`benchmarks/stories_quality.py` learns and prints both).
JOIN_WEIGHTS: tuple[float, ...] = (
    -3.667, 6.603, 5.981, 4.857, 0.611, 4.915, -0.672, 3.086, -0.662, 0.71, 1.337, -1.259, -0.256, -1.141
)  # fmt: skip
JOIN_THRESHOLD = 0.2
# Below this join probability, leads naming days three or more days apart veto the join. Chosen on the dev
# splits: 0.3 and 0.5 score the same there, a veto at any probability (1.0) loses 0.01 of ECB+ dev F1, and
# 0.3 lets karabakh's two rounds of talks merge in some arrival orders.
DAY_CONFLICT_BELOW = 0.5
# An article that joined its story at least this surely is not looked at again at the end of the run: on the
# dev splits two thirds of the articles join this surely, and looking at them again gains 0.003 of F1.
SURE_JOIN = 0.9
# Stories' time is the earliest of the latest publication days of this many articles: one or two articles with
# a wrong date years ahead do not close every story.
NEWEST_OF = 3

_WHEN = FEATURES.index("when")
TOP_TERMS = 10  # the article's highest-weighted body words whose presence in a story is a feature

_FIRST_REFRESH = 4  # index terms are re-chosen at 8, 16, 32, ... articles

_CLASS_CAPS = {"": 300, "e": 0, "h": 60, "l": 30, "#": 30, "n": 15, "y": 10, "w": 7, "d": 10}  # "e" shares the body cap


@dataclass
class ClusterParams:
    threshold: float = JOIN_THRESHOLD  # join score to join a story (probability; cosine when weights is None)
    window_days: int = 7  # an article joins a story only within this many days of its first/last article
    query_terms: int = 50  # the article's highest-weighted terms used to look up candidate stories
    index_terms: int = 30  # each story's highest-weighted terms kept in the inverted index
    centroid_terms: int = 300  # a centroid keeps this many body terms, so memory stays flat for big stories
    max_candidates: int = 50  # stories scored exactly per article, the ones sharing most query terms
    max_posting: int = 1000  # a term in more stories' top terms than this does not tell stories apart
    entity_weight: float = 2.0
    title_weight: float = 2.0
    related: float = 0.1  # stories with a body cosine this high but not joined are "related"
    weights: tuple[float, ...] | None = JOIN_WEIGHTS  # the join model; None: join on the body cosine alone
    day_conflict_below: float = DAY_CONFLICT_BELOW  # a join less likely than this is refused when the leads'
    # days are three or more days apart
    sure_join: float = SURE_JOIN  # articles placed less surely than this are looked at again by `reseat`

    def __post_init__(self) -> None:
        if self.weights is not None:
            self.weights = tuple(self.weights)
            if len(self.weights) != len(FEATURES) + 1:
                raise ValueError(f"weights needs an intercept and {len(FEATURES)} feature weights")


@dataclass
class Arrival:
    """An article ready to be placed: its term counts, TF-IDF weights and date."""

    article_id: str
    counts: Counter
    weights: dict[str, float]  # sublinear TF x IDF, not normalised
    norms: dict[str, float]  # L2 norm of `weights` per term class
    day: int | None  # from `published`: the time window applies
    seen_day: int | None  # from `published`, else a dateline in the text: only a feature, datelines can mislead
    # its highest-weighted body words: a long article's cosine with a story is diluted by its background,
    # while what it is about still heads its terms
    top_terms: tuple[str, ...] = ()
    # the names of its headline and lead, with their weights (the `l:` terms, without the prefix)
    lead_names: dict[str, float] = field(default_factory=dict)


@dataclass
class ArrivalTerms:
    """What `StoryIndex` reads of an article: its term counts and dates (`arrival_terms`)."""

    counts: Counter
    day: int | None
    seen_day: int | None


def arrival_terms(article: Article, params: ClusterParams) -> ArrivalTerms:
    """An article's term counts and dates: a function of the article alone, so that it can be computed
    anywhere before the article is placed."""
    terms = event_terms if params.weights is not None else article_terms
    title = headline_words(article.title)
    counts = terms(title, article.text, entity_weight=params.entity_weight, title_weight=params.title_weight)
    day = published_day(article.published)
    if day is None and params.weights is not None:  # a title is sometimes a mis-read dateline
        seen_day = published_day(dateline_date(article.text) or dateline_date(article.title or ""))
    else:
        seen_day = day
    return ArrivalTerms(counts, day, seen_day)


@dataclass
class Candidate:
    story_id: str
    features: tuple[float, ...]  # one value per FEATURES entry
    score: float  # join probability (body cosine when the index has no weights)


def _kind(term: str) -> str:
    """The class of a term: "" for body words, else its prefix letter (`e:`, `h:`, `y:`, `#:`, `w:`, `d:`)."""
    return term[0] if len(term) > 2 and term[1] == ":" else ""


def _share(terms: tuple[str, ...], centroid: dict[str, float]) -> float:
    """The share of `terms` that a story's centroid holds."""
    return sum(term in centroid for term in terms) / len(terms) if terms else 0.0


def _new_names(names: dict[str, float], centroid: dict[str, float]) -> float:
    """The share of the names in an article's headline/lead (by TF-IDF weight: rare names count most) that a
    story names nowhere: a look-alike event (other talks on one conflict) has its own people and places up
    front."""
    new = sum(w for name, w in names.items() if "e:" + name not in centroid and "l:" + name not in centroid)
    total = sum(names.values())
    return new / total if total else 0.0


def _cos(dots: dict[str, float], a: dict[str, float], b: dict[str, float], *kinds: str) -> float:
    dot = sum(dots.get(k, 0.0) for k in kinds)
    na = math.sqrt(sum(a.get(k, 0.0) ** 2 for k in kinds))
    nb = math.sqrt(sum(b.get(k, 0.0) ** 2 for k in kinds))
    return dot / (na * nb) if na and nb else 0.0


class StoryIndex:
    """The state of online story clustering. `assign(article)` returns the article's story id."""

    def __init__(self, params: ClusterParams | None = None) -> None:
        self.params = params or ClusterParams()
        self.df: Counter = Counter()
        self.n_docs = 0
        self.refreshed_at = 0  # n_docs when the index terms were last re-chosen (they are again at each doubling)
        self.stories: dict[str, Story] = {}
        self.postings: dict[str, set[str]] = defaultdict(set)  # index term -> open stories
        self.closed = ClosedStories()  # stories past their time window (`stories.closed`)
        self.newest: int | None = None  # the day the stories' time has reached (`_pass_time`)
        self.latest: list[int] = []  # heap of the latest `published` days seen, NEWEST_OF of them
        self._closing: list[tuple[int, str]] = []  # heap of (last day, story id) of dated open stories
        self.article_story: dict[str, str] = {}
        self.unsure: list[str] = []  # articles placed less surely than `sure_join` since the last `reseat`
        self.story_members: dict[str, list[str]] = defaultdict(list)
        self.last_related: list[str] = []  # set by assign(): the closest other stories, best first

    # -- public -------------------------------------------------------------------------------------

    def assign(self, article: Article, *, duplicate_of: str | None = None) -> str:
        """Put `article` in a story (existing or new) and return its id; idempotent for a known article id.

        A near-duplicate (`duplicate_of`, from the reuse index) joins its original's story and is not
        counted again in the centroid or the document frequencies.
        """
        return self.assign_terms(article.id, lambda: arrival_terms(article, self.params), duplicate_of=duplicate_of)

    def assign_terms(
        self, article_id: str, terms: Callable[[], ArrivalTerms], *, duplicate_of: str | None = None
    ) -> str:
        """`assign` with the article's terms given (counted only when needed: a copy's never are)."""
        if article_id in self.article_story:
            return self.article_story[article_id]
        self.last_related = []
        if duplicate_of and duplicate_of in self.article_story:
            story_id = self.article_story[duplicate_of]
            self._record(article_id, story_id)
            return story_id
        arrival = self.prepare_terms(article_id, terms())
        scored = sorted(self.candidates(arrival), key=lambda c: c.score, reverse=True)
        joins = bool(scored) and self._joins(scored[0])
        self.last_related = [c.story_id for c in scored[int(joins) :] if c.features[0] >= self.params.related]
        if not joins or scored[0].score < self.params.sure_join:
            self.unsure.append(article_id)
        return self.place(arrival, scored[0].story_id if joins else None)

    def reseat(
        self, terms_of: Callable[[str], ArrivalTerms], copies: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """Look again, in order of arrival, at the articles placed less surely than `sure_join` since the last
        call, against the stories as they now stand (`terms_of(article_id)` gives their terms again, `copies`
        maps a near-duplicate to its original): an article moves, with its copies, to the best other story it
        joins when that one scores above its own story without it (a story of its own scores nothing). Returns
        article id -> new story id of the articles that moved. Document frequencies stay as they are."""
        moved: dict[str, str] = {}
        for article_id in self.unsure:
            self.closed.flush(when_full=True)
            story = self._story(self.article_story[article_id])
            arrival = self._weighed(article_id, terms_of(article_id))
            alone = story.size == 1
            if not alone:
                self._take_out(story, arrival)
            scored = sorted(self.candidates(arrival), key=lambda c: c.score, reverse=True)
            best = next((c for c in scored if c.story_id != story.id), None)
            own = 0.0 if alone else next((c.score for c in scored if c.story_id == story.id), 0.0)
            if best is None or not self._joins(best) or best.score <= own:
                if not alone:
                    self._add(story, arrival)
                continue
            self._add(self._story(best.story_id), arrival)
            followers = [m for m in self.members(story.id) if (copies or {}).get(m) == article_id]
            for member in (article_id, *followers):
                self._move(member, story.id, best.story_id)
                moved[member] = best.story_id
            if alone and not self.members(story.id):
                self._drop(story)
        self.unsure = []
        return moved

    def prepare(self, article: Article) -> Arrival:
        """Count `article` in the document frequencies and weigh its terms (the first step of `assign`)."""
        return self.prepare_terms(article.id, arrival_terms(article, self.params))

    def prepare_terms(self, article_id: str, terms: ArrivalTerms) -> Arrival:
        """`prepare` for terms counted elsewhere (`arrival_terms`, on another machine): the part that needs
        the document frequencies of every article before this one."""
        self.n_docs += 1
        self.closed.flush(when_full=True)
        if terms.day is not None:
            self._pass_time(terms.day)
        if self.n_docs >= 2 * max(self.refreshed_at, _FIRST_REFRESH):
            self._refresh_index()
        self.df.update(terms.counts.keys())
        return self._weighed(article_id, terms)

    def _weighed(self, article_id: str, terms: ArrivalTerms) -> Arrival:
        """An article's terms weighed with today's document frequencies."""
        counts = terms.counts
        weights = {t: (1.0 + math.log(c)) * self._idf(t) for t, c in counts.items() if c > 0}
        norms: dict[str, float] = defaultdict(float)
        for term, value in weights.items():
            norms[_kind(term)] += value * value
        norms = {k: math.sqrt(v) for k, v in norms.items()}
        top = heapq.nlargest(TOP_TERMS, (t for t in weights if _kind(t) == ""), key=weights.__getitem__)
        lead_names = {t[2:]: w for t, w in weights.items() if t.startswith("l:")}
        return Arrival(article_id, counts, weights, norms, terms.day, terms.seen_day, tuple(top), lead_names)

    def candidates(self, arrival: Arrival) -> list[Candidate]:
        """The stories an arrival may join (in its time window), with their similarities and join scores."""
        out = []
        for story_id in self._lookup(arrival):
            story = self._story(story_id)
            if self._in_window(story, arrival.day):
                features = self._features(arrival, story)
                out.append(Candidate(story_id, features, self._score(features)))
        return out

    def place(self, arrival: Arrival, story_id: str | None) -> str:
        """Add a prepared arrival to story `story_id`, or to a new story when None; return the story id."""
        story = self._story(story_id) if story_id else self._new_story(arrival.article_id)
        self._add(story, arrival)
        self._record(arrival.article_id, story.id)
        return story.id

    def story_of(self, article_id: str) -> str | None:
        return self.article_story.get(article_id)

    def members(self, story_id: str) -> list[str]:
        """The article ids of a story, in order of arrival."""
        if story_id in self.story_members:
            return list(self.story_members[story_id])
        closed = self.closed.get(story_id)
        return list(closed[1]) if closed else []

    def all_members(self) -> dict[str, list[str]]:
        """Story id -> article ids, in order of arrival, of the open stories and the closed ones in memory."""
        return {story_id: list(ids) for story_id, ids in (*self.story_members.items(), *self.closed.members_of.items())}

    def state(self) -> dict:
        """Everything needed to continue later, as JSON-able types."""
        params = vars(self.params).copy()
        params["weights"] = list(self.params.weights) if self.params.weights is not None else None
        return {
            "params": params,
            "df": dict(self.df),
            "n_docs": self.n_docs,
            "refreshed_at": self.refreshed_at,
            "latest": self.latest,
            # the closed stories not written to a store (all of them when none is attached)
            "stories": [s.state() for s in (*self.stories.values(), *self.closed.held.values())],
            "article_story": self.article_story,
            "unsure": self.unsure,
        }

    @classmethod
    def from_state(cls, state: dict) -> StoryIndex:
        params = dict(state["params"])
        params.setdefault("weights", None)  # a state saved before the join model: keep joining on the cosine
        index = cls(ClusterParams(**params))
        index.df = Counter(state["df"])
        index.n_docs = state["n_docs"]
        index.refreshed_at = state.get("refreshed_at", index.n_docs)
        for s in state["stories"]:
            story = Story.from_state(s)
            if story.closed:
                index.closed.add(story, [])
            else:
                index.stories[story.id] = story
                for term in story.indexed:
                    index.postings[term].add(story.id)
                if story.last is not None:
                    index._closing.append((story.last, story.id))
        heapq.heapify(index._closing)
        index.latest = list(state.get("latest", ()))
        index.newest = index.latest[0] if len(index.latest) == NEWEST_OF else None
        for article_id, story_id in state["article_story"].items():
            index.article_story[article_id] = story_id
            if story_id in index.stories or story_id in index.closed.held:  # else closed and in a store
                index._members(story_id).append(article_id)
        index.unsure = list(state.get("unsure", ()))
        return index

    # -- internals ----------------------------------------------------------------------------------

    def _record(self, article_id: str, story_id: str) -> None:
        self.article_story[article_id] = story_id
        self._members(story_id).append(article_id)

    def _story(self, story_id: str) -> Story:
        """An open story, or a closed one read back (a late or undated arrival may still join it)."""
        story = self.stories.get(story_id)
        if story is None:
            closed = self.closed.get(story_id)
            if closed is None:
                raise KeyError(f"no story {story_id}")
            story = closed[0]
        return story

    def _members(self, story_id: str) -> list[str]:
        """A story's members, to change."""
        if story_id in self.stories:
            return self.story_members[story_id]
        story = self._story(story_id)
        self.closed.hold(story)
        return self.closed.members_of[story_id]

    def _pass_time(self, day: int) -> None:
        """Time moves on to the earliest of the NEWEST_OF latest days seen (so that an article or two with a
        wrong date, years ahead, cannot close every story), closing the stories it leaves behind."""
        if len(self.latest) < NEWEST_OF:
            heapq.heappush(self.latest, day)
        elif day > self.latest[0]:
            heapq.heapreplace(self.latest, day)
        if len(self.latest) == NEWEST_OF and self.latest[0] != self.newest:
            self.newest = self.latest[0]
            self._close_passed()

    def _close_passed(self) -> None:
        """Close the open stories whose last article is more than two windows before the newest day."""
        horizon = self.newest - 2 * self.params.window_days
        while self._closing and self._closing[0][0] < horizon:
            last, story_id = heapq.heappop(self._closing)
            story = self.stories.get(story_id)
            if story is not None and story.last == last:  # else it moved on (a newer entry) or is gone
                self._close(story)

    def _idf(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0

    def _lookup(self, arrival: Arrival) -> list[str]:
        """Stories sharing the most of the arrival's top body terms (through the inverted index; an undated
        arrival may belong to a story of any time, so it searches the closed ones too)."""
        vector = arrival.weights
        body = [t for t in vector if _kind(t) in ("", "e")]
        top = sorted(body, key=vector.__getitem__, reverse=True)[: self.params.query_terms]
        hits: Counter = Counter()
        for term in top:
            posting = self.postings.get(term, ())
            if len(posting) <= self.params.max_posting:
                for story_id in posting:
                    hits[story_id] += vector[term]
        if self._late(arrival.day):
            for term, posting in self.closed.search(top, self.params.max_posting).items():
                for story_id in posting:
                    hits[story_id] += vector[term]
        # ties by story id: a posting is a set, whose order changes from one process to the next
        ranked = sorted(hits.items(), key=lambda hit: (-hit[1], hit[0]))
        return [story_id for story_id, _ in ranked[: self.params.max_candidates]]

    def _features(self, arrival: Arrival, story: Story) -> tuple[float, ...]:
        """The FEATURES of an arrival against a story (centroid weighted with today's IDF)."""
        dots: dict[str, float] = defaultdict(float)
        norms: dict[str, float] = defaultdict(float)
        vector = arrival.weights
        for term, value in story.terms.items():
            weighted = value * self._idf(term)
            kind = _kind(term)
            norms[kind] += weighted * weighted
            if term in vector:
                dots[kind] += weighted * vector[term]
        story_norms = {k: math.sqrt(v) for k, v in norms.items()}
        mine = arrival.norms

        def cos(*kinds: str) -> float:
            return _cos(dots, mine, story_norms, *kinds)

        body = cos("", "e")
        if self.params.weights is None:
            return (body,) + (0.0,) * (len(FEATURES) - 1)
        years = cos("y")
        both_years = "y" in mine and "y" in story_norms
        when = _when(vector, story.terms)
        days = 0.0  # signed, so that having a date at all says nothing (in ECB+ only some subtopics have datelines)
        if arrival.seen_day is not None and story.seen_first is not None:
            gap = max(0, story.seen_first - arrival.seen_day, arrival.seen_day - story.seen_last)
            days = max(-1.0, 1.0 - math.log1p(gap) / math.log1p(30))
        return (
            body,
            cos("e"),
            cos("h"),
            cos("l"),
            cos("#"),
            float("n" in mine and "n" in story_norms and cos("n") == 0.0),
            years,
            float(both_years and years == 0.0),
            when,
            days,
            math.log1p(min(story.size, SIZE_SEEN)),
            _share(arrival.top_terms, story.terms),
            _new_names(arrival.lead_names, story.terms),
        )

    def _joins(self, candidate: Candidate) -> bool:
        """Whether an arrival joins its best candidate: a probability past the threshold, and, for a weak
        one, leads that do not name days three or more days apart (two rounds of talks on one conflict
        share their names and words; the day each was held is often all that tells them apart)."""
        p = self.params
        if candidate.score < p.threshold:
            return False
        weak = p.weights is not None and candidate.score < p.day_conflict_below
        return not (weak and candidate.features[_WHEN] <= -1.0)

    def _score(self, features: tuple[float, ...]) -> float:
        weights = self.params.weights
        if weights is None:
            return features[0]
        z = weights[0] + sum(w * f for w, f in zip(weights[1:], features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def _in_window(self, story: Story, day: int | None) -> bool:
        if day is None or story.first is None:
            return True
        window = self.params.window_days
        return story.first - window <= day <= story.last + window

    def _late(self, day: int | None) -> bool:
        """Whether an arrival may belong to a closed story: undated, or dated before the open stories' time."""
        return day is None or (self.newest is not None and day < self.newest - self.params.window_days)

    def _close(self, story: Story) -> None:
        for term in story.indexed:
            self.postings[term].discard(story.id)
        story.closed = True
        del self.stories[story.id]
        self.closed.add(story, self.story_members.pop(story.id, []))

    def _new_story(self, first_article_id: str) -> Story:
        story = Story(id="story-" + first_article_id, terms={})
        self.stories[story.id] = story
        return story

    def _add(self, story: Story, arrival: Arrival) -> None:
        if story.closed:
            self.closed.hold(story)
        last = story.last
        for term, value in _centroid_share(arrival.counts).items():
            story.terms[term] = story.terms.get(term, 0.0) + value
        story.size += 1
        if arrival.day is not None:
            story.first = min(story.first or arrival.day, arrival.day)
            story.last = max(story.last or arrival.day, arrival.day)
            if story.last != last and not story.closed:
                heapq.heappush(self._closing, (story.last, story.id))
        if arrival.seen_day is not None:
            story.seen_first = min(story.seen_first or arrival.seen_day, arrival.seen_day)
            story.seen_last = max(story.seen_last or arrival.seen_day, arrival.seen_day)
        self._trim(story)

    def _take_out(self, story: Story, arrival: Arrival) -> None:
        """Undo `_add` of an arrival on a story's centroid (its dates stay: a window only ever widens)."""
        if story.closed:
            self.closed.hold(story)
        for term, value in _centroid_share(arrival.counts).items():
            if term in story.terms:
                left = story.terms[term] - value
                if left > 1e-9:
                    story.terms[term] = left
                else:
                    del story.terms[term]
        story.size -= 1

    def _move(self, article_id: str, old: str, new: str) -> None:
        self._members(old).remove(article_id)
        self._record(article_id, new)

    def _drop(self, story: Story) -> None:
        """Forget a story whose articles all moved to others."""
        if story.closed:
            self.closed.drop(story.id)
            return
        self._index(story, [])
        del self.stories[story.id]
        del self.story_members[story.id]

    def _trim(self, story: Story) -> None:
        """Keep a centroid's highest-weighted terms per class, and its top body terms in the inverted index."""
        ranked = sorted(story.terms, key=lambda t: story.terms[t] * self._idf(t), reverse=True)
        caps = dict(_CLASS_CAPS, **{"": self.params.centroid_terms})
        kept: Counter = Counter()
        body: list[str] = []
        for term in ranked:
            kind = _class(term)
            if kept[kind] >= caps[kind]:
                del story.terms[term]
                continue
            kept[kind] += 1
            if kind == "":
                body.append(term)
        self._index(story, body[: self.params.index_terms])

    def _index(self, story: Story, terms: list[str]) -> None:
        if story.closed:
            self.closed.reindex(story, terms)
            return
        for term in set(story.indexed) - set(terms):
            self.postings[term].discard(story.id)
        for term in terms:
            self.postings[term].add(story.id)
        story.indexed = terms

    def _refresh_index(self) -> None:
        """Re-choose the index terms of every open story with today's IDF: the first stories of a stream
        were indexed when every word looked rare, under terms that later arrivals may not query."""
        for story in self.stories.values():
            body = [t for t in story.terms if _class(t) == ""]
            top = heapq.nlargest(self.params.index_terms, body, key=lambda t: story.terms[t] * self._idf(t))
            self._index(story, top)
        self.refreshed_at = self.n_docs


_WEEKDAY_NUMBER = {day: i for i, day in enumerate(WEEKDAYS)}


def _when_days(terms: dict[str, float]) -> tuple[set[int], set[int]]:
    """Weekday numbers (`w:`) and days of a non-leap year (`d:MM-DD`) among `terms`."""
    weekdays, days = set(), set()
    for term in terms:
        if term.startswith("w:"):
            weekdays.add(_WEEKDAY_NUMBER[term[2:]])
        elif term.startswith("d:"):
            month, day = int(term[2:4]), int(term[5:7])
            try:
                days.add(date(2001, month, day).timetuple().tm_yday)
            except ValueError:
                continue
    return weekdays, days


def _when(article: dict[str, float], story: dict[str, float]) -> float:
    """How near the weekdays and dates named in two leads are: 1 the same day, 1/3 a day apart (a follow-up
    names the next day), -1/3 two days, -1 three or more (weekdays wrap round); 0 when either names none."""
    a_week, a_days = _when_days(article)
    s_week, s_days = _when_days(story)
    gaps = [min((x - y) % 7, (y - x) % 7) for x in a_week for y in s_week]
    gaps += [min((x - y) % 365, (y - x) % 365, 3) for x in a_days for y in s_days]
    return 1.0 - min(gaps) / 1.5 if gaps else 0.0


def _centroid_share(counts: Counter) -> dict[str, float]:
    """What an article adds to its story's centroid: sublinear term frequencies, L2-normalised per class, so
    that each article weighs the same in every class (body words and names share one norm)."""
    tf = {t: 1.0 + math.log(c) for t, c in counts.items() if c > 0}
    norms: dict[str, float] = defaultdict(float)
    for term, value in tf.items():
        norms[_class(term)] += value * value
    return {term: value / (math.sqrt(norms[_class(term)]) or 1.0) for term, value in tf.items()}


def _class(term: str) -> str:
    """The centroid class of a term: body words and names together (""), else the prefix letter."""
    kind = _kind(term)
    return "" if kind == "e" else kind
