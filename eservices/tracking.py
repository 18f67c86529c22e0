"""What the citizen reads of their case on the tracking page (``views/public.track``).

The timeline holds the case's public lines only (``CaseEvent.public``: an internal
note never), oldest first, as a conversation reads.  Lines the portal writes itself
(received, moved, closed) are put in words in the language of the page, from their
kind and data, not from the text that was stored in the language of whoever made
the change.  What people wrote (messages, what was done, a decision's reasons) is
shown as written.

**Who wrote it.**  A line from the municipality is signed with the förvaltning that
had the case when it was written, never with an officer's name: the citizen deals
with the förvaltning, a case passes between officers, and officers' names are not
spread further than the case needs.  A decision names who made it, as a decision
must (förvaltningslagen 31 §), in its own section of the page.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eservices.casework import reopen_window
from eservices.models import CaseEvent, CaseStatus
from portal.extensions import db
from portal.org.models import Department

# The lines the portal writes itself: put in words here, in the language of the page.
PORTAL_KINDS = frozenset({"received", "rerouted", "forwarded", "duplicate", "status"})
# The lines that hand the case to another förvaltning: an officer's reroute, an agent's forward.
MOVES = frozenset({"rerouted", "forwarded"})


@dataclass(frozen=True)
class Line:
    """One line of the timeline as the citizen reads it."""

    event: CaseEvent
    heading: str
    sender: str = ""          # the förvaltning's name; empty for the citizen's and the portal's own lines
    body: str = ""
    files: list = field(default_factory=list)


def timeline(case, lang):
    """The public lines of ``case``, oldest first, in ``lang``.  The förvaltning that had
    the case is followed through its moves (a ``rerouted`` or ``forwarded`` line names the
    one before and the one after)."""
    moves = [line for line in case.events if line.kind in MOVES]
    by_code = departments_by_code({line.data.get(end) for line in moves for end in ("from", "to")})
    department = by_code.get(moves[0].data.get("from"), case.department) if moves else case.department
    lines = []
    for line in case.events:
        moved_to = by_code.get(line.data.get("to"), department) if line.kind in MOVES else None
        if line.public:
            lines.append(Line(event=line, heading=heading(line, lang, moved_to),
                              sender=sender(line, department, lang),
                              body="" if line.kind in PORTAL_KINDS else line.text,
                              files=list(line.files)))
        department = moved_to or department
    return lines


def departments_by_code(codes):
    codes = codes - {None}
    if not codes:
        return {}
    return {department.code: department
            for department in db.session.scalars(select(Department).where(Department.code.in_(codes)))}


HEADINGS = {
    "received": _l("Vi tog emot ärendet"),
    "message_out": _l("Meddelande till dig"),
    "note": _l("Meddelande till dig"),       # an officer's note that the citizen may read
    "message_in": _l("Ditt meddelande"),
    "reopened": _l("Du öppnade ärendet igen"),
    "solved": _l("Ärendet är klart"),
    "decision": _l("Beslut"),
    "duplicate": _l("Ärendet hanteras tillsammans med ett annat ärende"),
}


def heading(line, lang, moved_to):
    if line.kind == "message_out" and line.data.get("request"):
        return _("Vi behöver mer information från dig")
    if line.kind == "rerouted":
        return _("Ärendet flyttades till %(department)s", department=moved_to.name_in(lang))
    if line.kind == "forwarded":
        return _("Ärendet skickades vidare till %(department)s", department=moved_to.name_in(lang))
    if line.kind == "status":
        status = line.data.get("status")
        return _("Ny status: %(status)s", status=CaseStatus(status).label if status else line.text)
    return str(HEADINGS.get(line.kind, _l("Nytt i ärendet")))


def sender(line, department, lang):
    """The förvaltning, for a line that someone at the municipality wrote."""
    if line.from_citizen or not (line.user_id and department):
        return ""
    return department.name_in(lang)


def reopen_until(case):
    """Until when the citizen may reopen a solved case (naive UTC), or None."""
    if case.status != CaseStatus.SOLVED or case.closed_at is None:
        return None
    return case.closed_at + reopen_window()
