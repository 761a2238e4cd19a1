"""Is this clause a commitment? The words that promise something on our side.

A cue is a future or promissory form with our side as the one who acts:

- "I'll / I will / I'm going to / we'll / we shall / let me" + an action ("call", "send", "be in
  touch"), not a state ("we'll be closed", "I'll be away") nor a request ("I'll need your photos");
- "you'll hear / receive / get / have" and "you should receive" (the customer will get something
  from us), and "expect a call";
- someone or something on our side with a delivery verb: "Tom will call you", "your refund will be
  processed", "the replacement ships", "it's going out".

A cue is cancelled by negation ("won't", "will not"), hedges ("probably", "hopefully", "might")
and conditions ("if", "unless", "once you ..."), which make the sentence a possibility, not a
promise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ADVERBS = (
    "also|then|just|definitely|certainly|personally|still|now|surely|absolutely|happily|"
    "gladly|immediately|promptly|first|both|all|be sure to|make sure to|make sure I|try to|"
    "try and|aim to|really|actually|go ahead and|quickly|straight away"
)
FUTURE = re.compile(
    r"(?P<subj>\b[\w-]+)?(?P<marker>'ll|\s+will|\s+shall|(?:'m|'re|'s|\s+am|\s+are|\s+is)"
    r"\s+(?:going\s+to|gonna))\s+(?:(?:"
    + ADVERBS
    + r")\s+)*(?P<verb>[\w'-]+)(?:\s+(?P<next>[\w'-]+))?",
    re.I,
)
SUBJECTLESS = re.compile(
    r"^(?:(?:and|so|ok|okay|sure|great|thanks)[,!]?\s+)?will\s+(?P<verb>[\w'-]+)", re.I
)
LET_ME = re.compile(r"\blet\s+(?P<subj>me|us)\s+(?P<verb>[\w'-]+)", re.I)
EXPECT = re.compile(
    r"(?:^|\byou\s+(?:can|may|should|will|'ll)\s+|\bplease\s+)expect\b|\b(?:i|we)\s+expect\s+to\s+\w+",
    re.I,
)
YOU_GET = re.compile(
    r"\byou(?:'ll|\s+will|\s+should|\s+are\s+going\s+to|'re\s+going\s+to)\s+(?:(?:also|then|"
    r"definitely|certainly)\s+)?(?P<verb>hear|receive|get|have|see|be\s+(?:contacted|called|"
    r"refunded|credited|notified|emailed|sent|updated))\b(?P<rest>\s+\w+)?",
    re.I,
)
PROMISE = re.compile(
    r"\b(?P<subj>i|we)\s+(?:promise|guarantee|commit)(?:\s+(?:to|that)\b)?(?:\s+(?:i'll|we'll))?",
    re.I,
)
PROGRESSIVE = re.compile(
    r"\b(?P<subj>i'm|i\s+am|we're|we\s+are)\s+(?:(?:also|then|just|definitely)\s+)?"
    r"(?P<verb>calling|sending|shipping|posting|emailing|visiting|coming|dispatching|refunding|"
    r"processing|arranging|booking|scheduling|getting\s+back|following\s+up|delivering|"
    r"replacing|fixing|ringing|phoning|releasing|issuing)\b",
    re.I,
)
BOOKED = re.compile(
    r"\b(?P<subj>i|we)(?:'ve|\s+have)\s+(?:just\s+|already\s+)?(?P<verb>booked|scheduled|arranged|"
    r"set\s+up|organised|organized)\b",
    re.I,
)
THIRD_PRESENT = re.compile(
    r"\b(?:it|this|that|they|the\s+\w+|your\s+\w+)(?:'s|\s+is|\s+are|'re)\s+(?:going\s+out|"
    r"shipping|being\s+(?:sent|shipped|dispatched|processed|posted|delivered))\b|\b(?:it|(?:your|the)"
    r"(?:\s+[\w-]+){1,3})\s+(?:ships|goes\s+out|leaves\s+our\s+warehouse|is\s+dispatched)\b",
    re.I,
)

# After "I'll / we'll": verbs that are not a promise to the customer.
NOT_ACTIONS = frozenset(
    [
        "need",
        "require",
        "want",
        "ask",
        "wait",
        "miss",
        "lose",
        "reopen",
        "close",
        "stop",
        "remain",
        "stay",
        "require",
        "be",
        "see",
    ]
)
BE_ACTIONS = re.compile(
    r"be\s+(?:in\s+touch|back\s+(?:to\s+you|in\s+touch)|calling|sending|contacting|emailing|"
    r"ringing|able\s+to\s+(?:send|call|confirm|ship|refund|fix|get|give|share|update)|sure\s+to|"
    r"following\s+up|getting\s+back|there|with\s+you|sent|shipped|done|ready|fixed)\b",
    re.I,
)
THIRD_VERBS = frozenset(
    [
        "call",
        "contact",
        "email",
        "send",
        "ship",
        "dispatch",
        "arrive",
        "reach",
        "visit",
        "collect",
        "deliver",
        "get",
        "follow",
        "refund",
        "credit",
        "process",
        "fix",
        "repair",
        "replace",
        "update",
        "review",
        "confirm",
        "look",
        "investigate",
        "come",
        "ring",
        "phone",
        "email",
        "respond",
        "reply",
        "write",
        "pay",
        "issue",
        "release",
        "restore",
        "install",
        "activate",
        "post",
        "go",
        "return",
    ]
)
THIRD_BE = re.compile(
    r"be\s+(?:sent|shipped|dispatched|processed|refunded|credited|delivered|fixed|repaired|"
    r"resolved|replaced|issued|paid|returned|posted|updated|reviewed|escalated|completed|done|"
    r"ready|with\s+you|back|corrected|applied|reversed|arranged|scheduled|collected|picked\s+up|"
    r"installed|activated|restored|approved|sorted|in\s+touch|available|live|released|"
    r"transferred|cancelled|canceled|closed\s+out|emailed|in\s+your\s+account|on\s+its\s+way|"
    r"out|delivered)\b",
    re.I,
)
NOT_SUBJECTS = frozenset(
    [
        "there",
        "you",
        "weather",
        "office",
        "store",
        "shop",
        "warehouse",
        "it's",
        "what",
        "which",
        "who",
        "how",
        "that's",
        "this's",
    ]
)
NEGATION = re.compile(r"^(?:not|never|no\s+longer)\b|n't\b", re.I)
HEDGES = re.compile(
    r"\b(?:hopefully|probably|maybe|perhaps|possibly|likely|might|(?-i:may)|hope|think|guess|"
    r"assume|suppose|believe|not\s+sure|unsure|unlikely|can't\s+promise|cannot\s+promise|"
    r"can't\s+guarantee|cannot\s+guarantee|would|could|wish)\b",
    re.I,
)
CONDITIONS = re.compile(
    r"(?<!even\s)\b(?:if|unless|in\s+case|provided|providing|as\s+long\s+as|assuming|whether|"
    r"otherwise|should\s+you|in\s+the\s+event)\b|\b(?:once|when|as\s+soon\s+as|after)\s+"
    r"(?:you|your|we\s+(?:receive|get|hear)|it\s+arrives|the\s+\w+\s+arrives)\b",
    re.I,
)
COURTESY = re.compile(
    r",?\s*if\s+(?:that(?:'s|\s+is)?\s+(?:ok|okay|alright|all\s+right|fine|convenient|works|suits|helps)"
    r"(?:\s+(?:for|with)\s+)?(?:\s*you)?|you\s+like|that\s+suits\s+you|you'?re\s+(?:ok|okay|happy)\s+with\s+that)",
    re.I,
)


@dataclass(frozen=True)
class Cue:
    start: int  # where the promising words begin (relative to the clause)
    action: int  # where the promised action begins ("call you back ...")
    who: str  # "agent" or "team"


def _first_person(subject: str) -> str | None:
    word = subject.lower()
    if word in {"i", "me"}:
        return "agent"
    if word in {"we", "us"}:
        return "team"
    return None


def find_cues(clause: str) -> list[Cue]:
    """The commitment cues in one clause, in order (empty when the clause is not a promise)."""
    plain = COURTESY.sub(lambda m: " " * len(m.group(0)), clause)
    if CONDITIONS.search(plain) or HEDGES.search(plain):
        return []
    cues: list[Cue] = []
    for match in FUTURE.finditer(clause):
        cue = _future_cue(clause, match)
        if cue is not None:
            cues.append(cue)
    bare = SUBJECTLESS.search(clause)
    if bare and bare.group("verb").lower() not in NOT_ACTIONS | {"you", "it", "this", "that"}:
        cues.append(Cue(bare.start(), bare.start("verb"), "agent"))
    for match in LET_ME.finditer(clause):
        if match.group("verb").lower() in {"know"}:
            continue
        cues.append(Cue(match.start(), match.start("verb"), _first_person(match["subj"]) or "team"))
    for match in YOU_GET.finditer(clause):
        rest = (match.group("rest") or "").strip().lower()
        if match.group("verb").lower() == "have" and rest == "to":
            continue
        who = "agent" if re.search(r"\bfrom\s+me\b", clause[match.start() :], re.I) else "team"
        cues.append(Cue(match.start(), match.start(), who))
    for match in EXPECT.finditer(clause):
        who = "agent" if re.search(r"\bfrom\s+me\b", clause[match.start() :], re.I) else "team"
        cues.append(Cue(match.start(), match.start(), who))
    for match in PROMISE.finditer(clause):
        cues.append(Cue(match.start(), match.end(), _first_person(match["subj"]) or "team"))
    for match in PROGRESSIVE.finditer(clause):
        who = "agent" if match["subj"].lower().startswith("i") else "team"
        cues.append(Cue(match.start(), match.start("verb"), who))
    for match in BOOKED.finditer(clause):
        who = _first_person(match["subj"]) or "team"
        cues.append(Cue(match.start(), match.start("verb"), who))
    for match in THIRD_PRESENT.finditer(clause):
        cues.append(Cue(match.start(), match.start(), "team"))
    cues = _inherit_subjects(clause, cues)
    unique: dict[int, Cue] = {}
    for cue in sorted(cues, key=lambda c: c.start):
        if not any(abs(cue.start - s) < 3 for s in unique):
            unique[cue.start] = cue
    return list(unique.values())


COORDINATED = frozenset(["and", "then", "also", "so", "but", "or"])


def _inherit_subjects(clause: str, cues: list[Cue]) -> list[Cue]:
    """ "I'm calling them now and will update you": the second cue is the first one's subject."""
    ordered = sorted(cues, key=lambda c: c.start)
    out: list[Cue] = []
    for cue in ordered:
        word = (
            clause[cue.start :].split(maxsplit=1)[0].lower() if clause[cue.start :].strip() else ""
        )
        if word in COORDINATED and out:
            cue = Cue(cue.start, cue.action, out[-1].who)
        out.append(cue)
    return out


def _future_cue(clause: str, match: re.Match[str]) -> Cue | None:
    subject = (match.group("subj") or "").strip()
    verb = match.group("verb").lower()
    following = (match.group("next") or "").lower()
    between = clause[match.end("marker") : match.start("verb")]
    if NEGATION.match(verb) or re.search(r"\bnot\b", between, re.I):
        return None
    if re.match(r"n't", clause[match.start("marker") :]):
        return None
    rest = clause[match.start("verb") :]
    person = _first_person(subject)
    start = match.start("subj") if match.group("subj") else match.start("marker")
    if person is not None:
        if verb == "be":
            return Cue(start, match.start("verb"), person) if BE_ACTIONS.match(rest) else None
        if verb in NOT_ACTIONS or (verb == "have" and following in {"to", "no"}):
            return None
        return Cue(start, match.start("verb"), person)
    if subject.lower() in COORDINATED:
        return None if verb in NOT_ACTIONS else Cue(start, match.start("verb"), "team")
    if subject.lower() in NOT_SUBJECTS or not subject:
        return None
    if verb == "be":
        return Cue(start, start, "team") if THIRD_BE.match(rest) else None
    if verb in THIRD_VERBS:
        if verb == "go" and following != "out":
            return None
        return Cue(start, start, "team")
    return None
