"""Signals through which domains tell the shell and each other what happened.

Domains never import each other; they send and subscribe here.  Every
signal is sent inside the database transaction of the change, before it is
committed, so a subscriber may add rows that commit (or roll back) with it.
"""
from blinker import Namespace

_signals = Namespace()

document_changed = _signals.signal("document-changed", doc="""
Sent when something searchable was created, changed or removed.  The sender
is the document type (``"article"``, ``"eservice"``); ``doc_id`` is its id.
The search layer re-reads the document from its provider after the database
transaction commits and updates or deletes it in the index.
""")

article_workflow = _signals.signal("article-workflow", doc="""
Sent by every step of an article's editorial workflow (``content.operations``):
the sender is the action's name (``"save"``, ``"submit"``, ``"approve"``,
``"reject"``, ``"retract"``, ``"archive"``, ``"restore"``, ``"revert"``,
``"publish_scheduled"``, ``"unpublish_scheduled"``); keyword arguments
``article``, ``user`` (None for the scheduler) and ``revision`` (the revision
acted on, or None).
""")

translation_workflow = _signals.signal("translation-workflow", doc="""
Sent by every step of an article translation's work (``content.operations``):
the sender is the action's name (``"save_translation"``,
``"submit_translation"``, ``"approve_translation"``, ``"return_translation"``);
keyword arguments ``work`` (the ``TranslationWork`` row; deleted once
approved), ``user`` and ``lang``.  Approval also sends ``article_workflow``
and ``document_changed``, as any publication does.
""")

alert_changed = _signals.signal("alert-changed", doc="""
Sent when a service alert (driftinformation) is created, changed or
approved.  The sender is the alert's id; ``alert`` is the alert.  Pages that
show alerts change with it.
""")

page_feedback_changed = _signals.signal("page-feedback-changed", doc="""
Sent when a reader answers "Did this page help you?" or an editor marks an
answer as spam.  The sender is the article's id; ``feedback`` is the row.
""")

search_tuning_changed = _signals.signal("search-tuning-changed", doc="""
Sent when an editor saves or removes a synonym group or a best bet.  The
sender is the model's name (``"SynonymGroup"``, ``"BestBet"``); ``item`` is it.
""")

case_changed = _signals.signal("case-changed", doc="""
Sent when a case (ärende) is created or changes: the sender is the case's id;
``case`` is the case and ``what`` says what happened (``"received"``,
``"status"``, ``"decision"``, …).  Statistics and SLA clocks follow it.
""")

language_changed = _signals.signal("language-changed", doc="""
Sent when a language is added, enabled or disabled (``portal.languages``): the
sender is the action's name (``"add_language"``, ``"enable_language"``,
``"disable_language"``); ``language`` is the row.  ``portal.i18n`` forgets the
languages it read in this request, so what follows sees the change; other
requests and processes read it from the database by themselves.
""")

interface_translation_saved = _signals.signal("interface-translation-saved", doc="""
Sent when a translator saves the translation of an interface message in the
browser (``portal.catalogs.operations``).  The sender is the language code;
``translation`` is the new ``InterfaceTranslation`` row and ``user`` who saved it.
Every process serves the new text from its next request on.
""")

department_changed = _signals.signal("department-changed", doc="""
Sent when a förvaltning's own figures change (its employee count, which the
statistics' cost-allocation key shares a budget by).  The sender is the
department's id; ``department`` is the ``Department`` and ``user`` who changed it.
""")
