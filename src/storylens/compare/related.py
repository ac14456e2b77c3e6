"""Figures two stories agree on: a background fact that both retell (a war's toll, its length).

A figure from another story is shown only where the two stories are demonstrably about the same thing:
they share named entities (`MIN_SHARED_NAMES` of them), the two claims count the same quantity and agree
(`compare_claims` across stories), and the group is tied to those names: two of its claims, one from
each story, stand in sentences naming a shared entity, or state a figure too precise to recur by chance.
A bare count word (`10 films`, `5 tips`) in two stories about different things never links them.
"""

from __future__ import annotations

from storylens.compare.claims import MIN_DISTINCTIVE, Comparable, compare_claims, figure
from storylens.compare.entities import fold
from storylens.model import ClaimGroup, Entity, StatedClaim
from storylens.stories.features import capitalised_runs

MIN_SHARED_NAMES = 2
# what names a story's subject; dates, numbers and the like are not names of a subject
NAMED_TYPES = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}


def entity_keys(entities: list[Entity]) -> set[str]:
    """The folded names (and aliases) of a story's named entities: what two stories must share."""
    return {fold(alias) for e in entities if e.type in NAMED_TYPES for alias in (e.name, *e.aliases) if alias}


def shared_figures(
    story_a: str, claims_a: list[Comparable], story_b: str, claims_b: list[Comparable], shared_names: set[str]
) -> list[ClaimGroup]:
    """Groups of agreeing claims with members in both stories; `shared_names` are the entity keys both have.
    The same two stories give the same groups whichever is named first."""
    if len(shared_names) < MIN_SHARED_NAMES:
        return []
    keys_a = {k for c in claims_a for k in c.block_keys}
    keys_b = {k for c in claims_b for k in c.block_keys}
    # only a claim that shares a key with the other story can join a group across them
    a = [c for c in claims_a if c.block_keys & keys_b]
    b = [c for c in claims_b if c.block_keys & keys_a]
    if not a or not b:
        return []
    story_of = {c.article: story_a for c in a} | {c.article: story_b for c in b}
    claims = {c.id: c for c in a + b}
    out = []
    for group in compare_claims(a + b if story_a < story_b else b + a, story_of):
        members = [claims[c] for c in group.claims]
        ours = [m for m in members if story_of[m.article] == story_a]
        theirs = [m for m in members if story_of[m.article] == story_b]
        if (
            group.verdict == "agree"
            and ours
            and theirs
            and any(_tied(x, y, shared_names) for x in ours for y in theirs)
        ):
            out.append(group)
    return out


def _tied(x: StatedClaim, y: StatedClaim, shared: set[str]) -> bool:
    value = figure(x.claim)
    if value is not None and value == figure(y.claim) and value >= MIN_DISTINCTIVE:
        return True
    return bool(_names(x) & _names(y) & shared)


def _names(claim: StatedClaim) -> set[str]:
    return {fold(run) for run in capitalised_runs(claim.sentence)}
