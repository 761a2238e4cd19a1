"""What a rule would do, shown in the editor before it is saved: the sentences it flags in the
admin's sample text, and how it does on the guard's sentence tables (helpmate.guard.sentences),
alone and together with the other rules in force."""

from __future__ import annotations

from dataclasses import dataclass, field

from helpmate.guard.check import Flag, check_text
from helpmate.guard.rules import Rule
from helpmate.guard.ruleset import RuleSet
from helpmate.guard.sentences import HELPFUL, PUSHING_AWAY


@dataclass
class TableScore:
    caught: int  # pushing-away sentences flagged
    false_alarms: int  # helpful sentences flagged


@dataclass
class Preview:
    rule: Rule
    sample: str
    sample_flags: list[Flag]  # the sample with this rule alone
    sample_all: list[Flag]  # the sample with every rule as it would be after saving
    caught: list[str] = field(default_factory=list)  # pushing-away sentences this rule flags
    false_alarms: list[str] = field(default_factory=list)  # helpful ones it flags
    before: TableScore | None = None
    after: TableScore | None = None
    pushing_total: int = len(PUSHING_AWAY)
    helpful_total: int = len(HELPFUL)


def _score(rules: tuple[Rule, ...]) -> TableScore:
    return TableScore(
        caught=sum(1 for s in PUSHING_AWAY if check_text(s, rules)),
        false_alarms=sum(1 for s in HELPFUL if check_text(s, rules)),
    )


def preview(rule: Rule, ruleset: RuleSet, sample: str) -> Preview:
    """``rule`` as edited (or new), compared with ``ruleset``, the rules in force now."""
    now = ruleset.active
    state = ruleset.get(rule.id)
    if state is None:
        together = (*now, rule)
    elif state.enabled:
        together = tuple(rule if r.id == rule.id else r for r in now)
    else:
        together = now  # a rule switched off stays off when edited
    alone = (rule,)
    return Preview(
        rule=rule,
        sample=sample,
        sample_flags=check_text(sample, alone) if sample.strip() else [],
        sample_all=check_text(sample, together) if sample.strip() else [],
        caught=[s for s in PUSHING_AWAY if check_text(s, alone)],
        false_alarms=[s for s in HELPFUL if check_text(s, alone)],
        before=_score(now),
        after=_score(together),
    )
