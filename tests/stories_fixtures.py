"""Small hand-written articles for the stories tests (fictional places and people)."""

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
