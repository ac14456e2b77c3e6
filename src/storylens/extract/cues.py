"""Generic lexicons for attribution: reporting verbs, nouns that stand for a speaker, titles, pronouns.

These are ordinary English word lists (as in textacy, Citron and GenderGapTracker), not names
from any corpus. Verbs are lemmas as spaCy's English lemmatizer gives them.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs of saying: a clause they govern is reported speech even without quotation marks.
SPEECH_VERBS = words(
    """
    say tell add state claim announce declare insist argue explain note warn write report reply respond
    answer confirm deny acknowledge admit suggest allege assert maintain stress emphasize emphasise
    predict promise pledge vow concede estimate caution testify tweet post recall remark comment mention
    observe contend complain reiterate repeat indicate disclose reveal assure inform notify advise
    charge conclude affirm agree disagree boast brag proclaim shout yell whisper joke quip interject exclaim retort
    counter mutter murmur scream gush muse marvel sigh elaborate clarify recount opine concur grumble
    """
)

# Verbs that attach a quotation to its speaker but do not introduce reported clauses on their own:
# a quoted phrase under them ("praised X for its 'courageous steps'") is still the subject's words.
QUOTE_ONLY_VERBS = words(
    """
    call describe label term dub brand urge ask demand praise criticize criticise condemn denounce decry
    slam blast attack accuse blame dismiss reject hail welcome express voice vow pledge threaten appeal
    implore plead continue conclude quote cite characterize characterise
    question wonder question refer reference promise offer seek recommend propose describe regret lament
    mourn thank congratulate acknowledge admire applaud celebrate liken scold chide rebuke mock ridicule
    chant exhort laud commend tout extol encourage
    """
)

QUOTE_VERBS = SPEECH_VERBS | QUOTE_ONLY_VERBS


def speech_lemma(word: str) -> str | None:
    """The verb of saying a past or third-person form stands for (`Said`, `Adds`, `Replied`), if any."""
    low = word.lower()
    irregular = {"said": "say", "says": "say", "wrote": "write", "told": "tell"}
    candidates = [irregular.get(low, low), low[:-1], low[:-2], low[:-3] + "y"]
    return next((c for c in candidates if c in SPEECH_VERBS), None)


# Verbs by which someone puts out a message (`issued a statement, "..."`): its words are theirs.
ISSUING_VERBS = words("issue release send post publish tweet write circulate put")

# Verbs of saying after which a quoted exclamation or question is what was said (`declared "What a day!"`), not
# a title (`recalled "Jeopardy!"`).
SAYING_ALOUD_VERBS = words("say tell ask declare exclaim reply respond answer add insist announce shout yell")

# Verbs and nouns of the voice: what follows them in quotation marks was said aloud, however short or capitalized
# (`chanting "Dump Trump."`, `chants of "Lock her up!"`).
VOICE_WORDS = words("chant shout yell scream exclaim holler cry whisper mutter murmur")

# `called X "Y"`, `dubbed X "Y"`: the forms of the verbs by which a subject names something. `a film called "Jaws"`
# names nothing of anyone's: no noun stands between the verb and the name.
NAMING_FORMS = words(
    """
    call calls called calling dub dubs dubbed dubbing brand brands branded branding label labels labeled labelled
    labeling labelling nickname nicknames nicknamed nicknaming
    """
)

# Speech acts whose object is what was said: "Baku denied the allegation", "confirmed the deaths".
OBJECT_IS_CONTENT = words("deny confirm announce reject dispute admit acknowledge promise pledge blame")

# Directives: what was said is the object and what they were told to do ("urged both sides to return").
DIRECTIVE_VERBS = words("urge call ask appeal press implore exhort")

# Nouns that carry someone's words: "A statement by the ministry said ..." -> the ministry.
MESSAGE_NOUNS = words(
    """
    statement report communique communiqué release announcement message letter post tweet note readout
    transcript memo comment remark speech address interview article editorial column email e-mail newsletter
    """
)

# Nouns of saying whose owner says the clause they carry: "Trump's claim that there were ...".
SAYING_NOUNS = words(
    """
    claim assertion statement remark comment warning promise pledge allegation accusation insistence
    argument suggestion contention assurance vow prediction
    """
)

# Words that mark a following proper noun as a person.
PERSON_TITLES = words(
    """
    mr mrs ms miss dr prof sir dame lord lady president minister secretary senator sen rep
    representative governor gov mayor chancellor premier spokesman spokeswoman spokesperson ambassador
    general gen colonel col commander chief director chairman chairwoman chair ceo judge justice king
    queen prince princess pope bishop rev father sheikh emir leader envoy official officer deputy vice
    professor
    """
)

# Words that title case leaves in lower case (`Collapse: How Societies Choose to Fail`).
TITLE_SMALL_WORDS = words("a an the and or nor but of in on at to for with by from as vs via per into onto up off out")

# Days and months, which the recognizer sometimes runs a name on into (`Gen. Smith Wednesday`).
CALENDAR_WORDS = words(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    """
)

MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "spokesman", "chairman"})
FEMALE_TITLES = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess", "spokeswoman", "chairwoman"}
)

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "themselves"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
PRONOUNS = MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS | NEUTER_PRONOUNS | {"i", "we", "you"}
