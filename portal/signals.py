"""Signals through which domains tell each other what happened.

Domains never import each other; they send and subscribe here.
"""
from blinker import Namespace

_signals = Namespace()

document_changed = _signals.signal("document-changed", doc="""
Sent when something searchable was created, changed or removed.  The sender
is the document type (``"article"``, ``"eservice"``); ``doc_id`` is its id.
The search layer re-reads the document from its provider after the database
transaction commits and updates or deletes it in the index.
""")
