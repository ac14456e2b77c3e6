"""The records that flow between stages. Plain dataclasses; nothing here imports storylens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    """One news article as read from its input, before any analysis.

    `text` is what a reader is shown (typography kept); `id` is a hash of its normalized form,
    so the same text read from two places gets the same id.
    """

    id: str
    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None
    byline: str | None = None
    fmt: str = "text"
    extra_paths: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    """An input that could not be read, with a reason a person can act on."""

    path: str
    reason: str


class InputError(Exception):
    """Raised by a reader when one input cannot be read; the batch goes on without it."""


# -- what the extract stage finds in one article (offsets index `Article.text`, end exclusive) ----


@dataclass
class Quote:
    """Words attributed to a speaker: `direct` (in quotation marks), `indirect` (reported), `mixed`
    (a reported clause that contains quoted words; those words are also a `direct` quote).

    `speaker` is the name a reader would give, pronouns resolved and spaces made single; `speaker_start:speaker_end`
    is where that name stands in the text (for `he said`, the earlier mention of the person), while
    `source_start:source_end` are the words of this attribution that point at the speaker (`he`).
    `cue` is the reporting verb's lemma or phrase (`say`, `call on`, `according to`) at `cue_start:cue_end`;
    a floating quote (a quote paragraph with no cue of its own) has no cue and continues the previous speaker.
    """

    text: str
    start: int
    end: int
    kind: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    source_start: int | None = None
    source_end: int | None = None


@dataclass
class Claim:
    """A number in the text with what it counts: `more than 10,000 people killed`."""

    text: str
    start: int
    end: int
    value: float | str
    quantity: str
    unit: str | None = None
    qualifier: str | None = None
    attributed_to: str | None = None


@dataclass
class DateMention:
    """A date expression and what it resolves to: an ISO date, or a coarser ISO form, or None."""

    text: str
    start: int
    end: int
    value: str | None
    anchor: str | None = None  # "published", "text" (a date in the article), "story" (another article) or None


@dataclass
class Mention:
    """A named-entity mention: `Armenia's Prime Minister Nikol Pashinyan` -> PERSON `Nikol Pashinyan`."""

    text: str
    start: int
    end: int
    label: str


@dataclass
class ArticleFacts:
    """Everything the extract stage found in one article."""

    article_id: str
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


# -- what the stories stage finds (offsets index `Article.text`, end exclusive) -------------------


@dataclass
class Reuse:
    """A passage of article `a` found again in article `b`: `verbatim`, `near` (edited) or `paraphrase`.

    `first` is the id of the article that had it first when publication times say so, else None.
    """

    a: str
    a_start: int
    a_end: int
    b: str
    b_start: int
    b_end: int
    similarity: float
    kind: str
    first: str | None = None


@dataclass
class Originality:
    """How much of an article is its own: `score` is the share of its characters not found in the other
    articles of its story (earlier ones where times are known); `own_*` are what only it has."""

    article_id: str
    score: float
    own_sentences: list[tuple[int, int]] = field(default_factory=list)
    own_quotes: list[tuple[int, int]] = field(default_factory=list)
    own_numbers: list[tuple[int, int]] = field(default_factory=list)


# -- what the summarize stage writes for one story ------------------------------------------------


@dataclass
class SummarySentence:
    """One sentence of a story's extractive summary, verbatim from one article, with every span that holds it.

    `sources[0]` is the sentence's own span `(article_id, start, end)`; the rest are sentences in other
    articles that say the same thing (reused, reworded or paraphrased), so `article.text[start:end]` of any
    source is a sentence a reader can check the summary against. `score` is the ranking score it was chosen by.
    """

    text: str
    sources: list[tuple[str, int, int]] = field(default_factory=list)
    score: float = 0.0


@dataclass
class Entity:
    """One entity across the articles of a story: `Nikol Pashinyan`, also `Pashinian`, in 4 articles.

    `spans` are (article id, start, end) of every mention, so a quote's speaker can be linked to it.
    """

    id: str
    name: str
    type: str
    aliases: list[str]
    articles: list[str]
    mentions: int
    spans: list[tuple[str, int, int]] = field(default_factory=list)


# -- what the compare stage finds about wording across one story's articles -------------------------


@dataclass
class FramingVariant:
    """One wording of a thing (`anti-terror operation`) and the articles that use it; `spans` are
    (article id, start, end) of every use."""

    phrase: str
    articles: list[str]
    spans: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class Framing:
    """The different words the articles of one story choose for one thing; `about` names the thing."""

    about: str
    variants: list[FramingVariant] = field(default_factory=list)


@dataclass
class QuoteVariant:
    """One article's wording of a statement that other articles of the story also carry.

    `kind` is the quote's kind (`direct`, `indirect`, `mixed`) or `unattributed`: a plain sentence that
    states the quoted content with no speaker and no quotation marks. `added`/`dropped` are the words
    this wording has that the group's reference lacks, and the reverse; `punctuation` is True when the
    two differ in punctuation only where the words agree.
    """

    article: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    punctuation: bool = False


@dataclass
class QuoteVariantGroup:
    """One statement as several articles report it: `variants[0]` is the reference wording (a direct quote
    where there is one). `reworded` when any wording differs from it, `unattributed` when some article
    states it without saying who said it."""

    speaker: str | None
    variants: list[QuoteVariant] = field(default_factory=list)
    reworded: bool = False
    unattributed: bool = False


# -- what the compare stage finds about numbers and dates across one story's articles ---------------


@dataclass
class StatedClaim:
    """A claim as the comparison sees it: with its report-wide id (`article:cN`), its article, the
    sentence it stands in, and the outlet that stated it (for explanations)."""

    id: str
    article: str
    claim: Claim
    sentence: str = ""
    source: str | None = None


@dataclass
class ClaimGroup:
    """Two or more claims about one quantity (`claims` are their ids) and whether they `agree` or `conflict`.

    For a conflict, `evidence` says why its figures are about one thing (strongest first: `retold`,
    `two sources`, `toll`) and `pair` names the two claims its `explanation` sets side by side."""

    about: str
    claims: list[str]
    verdict: str
    explanation: str = ""
    evidence: str | None = None
    pair: tuple[str, str] | None = None


@dataclass
class CrossStoryAgreement:
    """A group of agreeing claims that spans two stories: a background fact both retell. `story` is the other
    story, `claims` its claims in the group (the group's other claims are this story's own), `articles`
    the articles they stand in."""

    group: ClaimGroup
    story: str
    claims: list[StatedClaim] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


@dataclass
class StoryLinks:
    """What one story shows of another: the figures they agree on, as kept in the store."""

    story: str
    other: str
    agreements: list[CrossStoryAgreement] = field(default_factory=list)


@dataclass
class TimelineEvent:
    """A date the story's articles resolve, the sentence that tells what happened then (from the article
    that said it first), and every sentence that names that date as (article id, start, end)."""

    date: str  # ISO date, or a coarser ISO form (2023-09, 2023)
    text: str
    evidence: list[tuple[str, int, int]] = field(default_factory=list)


# -- one story, what the per-story stage is given and what it returns ------------------------------


@dataclass
class AnalysisSettings:
    """Everything that changes what the analysis finds or how it runs, chosen once (by the command line)
    and passed down. `key()` names the settings that change results, stored with each story's analysis."""

    model: str | None = None  # spaCy pipeline: package name or path; None for the default
    jobs: int | None = None  # worker processes; None for one per core
    batch_size: int = 500  # articles stored per transaction at ingest
    budget_words: int = 120  # words in each story's summary
    window_days: int | None = None  # an article joins a story only within this many days; None: as before

    def key(self) -> str:
        return f"budget={self.budget_words}"


@dataclass
class Story:
    """A story as the stories stage left it: its articles in arrival order, which of them are near-exact
    copies of another (`duplicate_of`: copy id -> original id) and the passages they share."""

    id: str
    articles: list[Article]
    duplicate_of: dict[str, str] = field(default_factory=dict)
    reuse: list[Reuse] = field(default_factory=list)

    @property
    def originals(self) -> list[Article]:
        """The articles that count: near-exact copies are shown but never counted twice."""
        return [a for a in self.articles if a.id not in self.duplicate_of]


@dataclass
class StoryInput:
    """What the per-story stage needs and nothing more: the story, the spaCy parse of each article's text
    and of each headline (`Doc`s of one pipeline; headlines that open their text are not parsed apart),
    and the budget of its summary."""

    story: Story
    docs: dict[str, Any]
    title_docs: dict[str, Any] = field(default_factory=dict)
    budget_words: int = 120


@dataclass
class StageError:
    """A step of one story's analysis that failed: which step, and the error it raised."""

    stage: str
    error: str


# The version of what the per-story stage finds (storylens.analysis): bumped whenever a change to any of its
# steps changes a StoryResult, so that stored results of another version are computed again.
ANALYSIS_VERSION = 1


@dataclass
class StoryResult:
    """Everything the per-story stage finds in one story. A step that failed leaves its part empty and
    says so in `errors`; the other parts are still whole."""

    story_id: str
    facts: dict[str, ArticleFacts] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    claims: list[StatedClaim] = field(default_factory=list)
    claim_groups: list[ClaimGroup] = field(default_factory=list)
    quote_variants: list[QuoteVariantGroup] = field(default_factory=list)
    framing: list[Framing] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    originality: dict[str, Originality] = field(default_factory=dict)
    errors: list[StageError] = field(default_factory=list)


@dataclass
class AnalyzedStory:
    """A story and its analysis as kept in the store: what the report and the web pages read."""

    story: Story
    result: StoryResult
    related: list[CrossStoryAgreement] = field(default_factory=list)
