"""Folding quoted history and signatures away, keeping the full text.

``split_quoted(text)`` returns ``(new, folded)`` where ``new + folded`` is the whole text (up to
whitespace between them). The thread shows the new part and offers the rest behind a "show
quoted text" disclosure; nothing is ever thrown away.
"""

from __future__ import annotations

import re

# "On Tue, 3 Mar 2026 at 10:12, Maya <support@x> wrote:" (may wrap onto a second line), and the
# same in a few languages.
_ATTRIBUTION = re.compile(
    r"^[ \t]*(?:On|Am|Le|El|Op|Il|Em|Den|På)\b[^\n]{0,300}?(?:\n[^\n]{0,200}?)?"
    r"(?:wrote|schrieb|a écrit|escribió|schreef|ha scritto|escreveu|skrev)[^\n:]{0,120}:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook's reply header, under a line or "-----Original Message-----".
_OUTLOOK = re.compile(
    r"^[ \t]*(?:-{3,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|"
    r"Mensaje original)\s*-{3,}|_{20,})[ \t]*\n(?:[ \t]*\n)?[ \t*]*(?:From|Von|De)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLOOK_BARE = re.compile(
    r"^[ \t*]*(?:From|Von|De)\s*:[^\n]+\n[ \t*]*(?:Sent|Gesendet|Envoyé|Enviado|Date)\s*:[^\n]+\n"
    r"(?:[^\n]*\n){0,3}?[ \t*]*(?:To|An|À|Para)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
# The signature separator "-- " and the footers mobile clients add.
_SIGNATURE = re.compile(
    r"^(?:-- ?|Sent from my [\w -]{2,40}|Sent from (?:Mail|Outlook) for \w+|"
    r"Get Outlook for (?:iOS|Android)|Envoyé de mon [\w -]{2,30}|Von meinem [\w -]{2,30} gesendet|"
    r"Enviado desde mi [\w -]{2,30}|Sent via [\w -]{2,40})[ \t.]*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>")
# A forward is the content, not history: nothing is folded in one.
_FORWARD = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:Forwarded message|Forwarded Message|Weitergeleitete Nachricht|"
    r"Message transféré|Mensaje reenviado)\s*-{2,}|Begin forwarded message:|"
    r"Anfang der weitergeleiteten Nachricht:)",
    re.IGNORECASE | re.MULTILINE,
)


def _trailing_quote_start(text: str) -> int | None:
    """Where a block of "> " lines begins that runs (with blank lines) to the end of the text."""
    lines = text.split("\n")
    start = None
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if _QUOTED_LINE.match(line):
            start = index
        elif line.strip():
            break
    if start is None:
        return None
    return sum(len(line) + 1 for line in lines[:start])


def split_quoted(text: str) -> tuple[str, str]:
    """(new part, folded part) of a plain-text message; folded is "" when nothing folds."""
    if _FORWARD.search(text):
        return text.strip(), ""
    cuts = []
    for pattern in (_ATTRIBUTION, _OUTLOOK, _OUTLOOK_BARE, _SIGNATURE):
        match = pattern.search(text)
        if match is not None:
            cuts.append(match.start())
    trailing = _trailing_quote_start(text)
    if trailing is not None:
        cuts.append(trailing)
    cuts = [c for c in cuts if text[:c].strip()]  # never fold everything away
    if not cuts:
        return text.strip(), ""
    cut = min(cuts)
    return text[:cut].rstrip(), text[cut:].strip("\n")
