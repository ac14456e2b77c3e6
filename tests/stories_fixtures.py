"""Small hand-written articles for the stories tests (fictional places and people)."""

import random
from datetime import date, timedelta

from storylens.model import Article

BRIDGE_1 = Article(
    id="bridge1",
    title="Harlow Bridge collapses into the Tamsin River",
    published="2025-04-02",
    text=(
        "The Harlow Bridge collapsed into the Tamsin River early on Tuesday, the Orvand police said. "
        "Two delivery vans fell with the span and rescuers pulled four people from the water. "
        "Engineer Mira Kestrel said cracks in the central pier had been reported in January. "
        "The Orvand council closed both banks and Kellan Ferries will run boats from Wednesday."
    ),
)
BRIDGE_2 = Article(
    id="bridge2",
    title="Four rescued after Harlow Bridge falls into Tamsin River",
    published="2025-04-02",
    text=(
        "Rescuers pulled four people from the Tamsin River after the Harlow Bridge collapsed on Tuesday. "
        "Two delivery vans fell with the span, according to the Orvand police. "
        "Engineer Mira Kestrel said cracks in the central pier had been reported in January. "
        "Mayor Tobin Vail promised a full inquiry into the Harlow Bridge inspections."
    ),
)
BRIDGE_3 = Article(
    id="bridge3",
    title="Harlow Bridge collapse: what we know",
    published="2025-04-03",
    text=(
        "A bridge over the Tamsin River gave way in Orvand, sending vans into the water. "
        "Rescue teams saved people from the river after the Harlow Bridge failure. "
        "Cracks in the central pier had been noticed months before, an engineer said. "
        "The collapse raises questions about how the Harlow Bridge was inspected."
    ),
)
VOTE_1 = Article(
    id="vote1",
    title="Greenmoor party wins Dalmark regional election",
    published="2025-04-02",
    text=(
        "The Greenmoor party won the Dalmark regional election with 41 percent of the vote on Sunday. "
        "Leader Ansel Brook promised lower rail fares and a new hospital in Fennick. "
        "Turnout fell to 52 percent, the Dalmark electoral office said."
    ),
)
VOTE_2 = Article(
    id="vote2",
    title="Ansel Brook claims Dalmark victory",
    published="2025-04-03",
    text=(
        "Ansel Brook claimed victory in the Dalmark regional election after the Greenmoor party took 41 percent. "
        "Brook told supporters in Fennick that rail fares would fall within a year. "
        "The Dalmark electoral office put turnout at 52 percent, down from the last regional election."
    ),
)
ALL = [BRIDGE_1, VOTE_1, BRIDGE_2, VOTE_2, BRIDGE_3]


SYLLABLES = ("ka", "lo", "mer", "vin", "tas", "dro", "pel", "quo", "ran", "sil", "tor", "ube", "zen", "fa")
DAY_ONE = date(2025, 1, 1)


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def dated_stream(seed: int = 7) -> list[list[Article]]:
    """Three runs of made-up news: 30 events over 120 days (3 or 4 articles each over two days, in date
    order), then, in the last run, articles on long-past events arriving late (dated in their event's time)
    or undated."""
    rng = random.Random(seed)
    events = []
    for n in range(30):
        place, person = _word(rng, 3).title(), _word(rng, 2).title() + " " + _word(rng, 3).title()
        words = [_word(rng, 2) for _ in range(8)]
        events.append((n, DAY_ONE + timedelta(days=4 * n), place, person, words))

    def article(event: tuple, k: int, day: date | None) -> Article:
        n, _, place, person, words = event
        picked = rng.sample(words, 6)
        text = (
            f"The {picked[0]} of {place} was {picked[1]} on {(day or DAY_ONE).strftime('%A')}, officials said. "
            f"{person} said the {picked[2]} and the {picked[3]} in {place} would {picked[4]} the town. "
            f"Residents of {place} told reporters the {picked[5]} had never been seen there before."
        )
        title = f"{place} {picked[0]} {picked[1]}"
        return Article(id=f"e{n}-{k}", title=title, text=text, published=day.isoformat() if day else None)

    stream = [article(e, k, e[1] + timedelta(days=k // 2)) for e in events for k in range(3 + e[0] % 2)]
    late = [article(events[n], 9, events[n][1]) for n in (2, 5, 11)]
    undated = [article(events[n], 8, None) for n in (3, 7, 20)]
    return [stream[:40], stream[40:], late + undated + [article(events[29], 7, events[29][1])]]
