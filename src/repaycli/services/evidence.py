"""The state of the evidence as a whole — the call log's chain and the events' chain — and the
fingerprint that binds both: one rule for ``log fingerprint``, the letters built from the log and
the report's timeline."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from repaycli import store
from repaycli.core.evidence import GENESIS, ChainCheck
from repaycli.core.proof import fingerprint
from repaycli.errors import Failure


@dataclass(frozen=True)
class EvidenceState:
    log: ChainCheck
    events: store.EventCheck

    @property
    def intact(self) -> bool:
        return self.log.intact and self.events.intact

    def problem(self) -> Failure | None:
        """What is wrong, as the one-line error the commands print (``None`` when intact)."""
        from repaycli.i18n import t

        if not self.log.intact:
            return Failure(f"log.verify_{self.log.problem}", id=self.log.entry_id)
        if not self.events.intact:
            what = t(f"evidence.kind.{self.events.kind}") if self.events.kind else ""
            return Failure(
                f"evidence.{self.events.problem}",
                id=self.events.event_id,
                what=what,
                ref=self.events.ref,
                name=self.events.name,
            )
        return None

    @property
    def fingerprint(self) -> str | None:
        """The code ``log verify --fingerprint`` checks; ``None`` for evidence that is not intact
        (a fingerprint must not vouch for what was already changed) or that is empty."""
        if not self.intact or (self.log.count == 0 and self.events.count == 0):
            return None
        return fingerprint(self.log.count, self.log.head, (self.events.count, self.events.head))


EMPTY = EvidenceState(ChainCheck(count=0, head=GENESIS), store.EventCheck(count=0))


def evidence_state(conn: sqlite3.Connection) -> EvidenceState:
    """Both chains re-computed on ``conn``."""
    return EvidenceState(store.verify_log(conn), store.verify_events(conn))
