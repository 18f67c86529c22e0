"""Who gets what: every route of the URL map × every role, in every language.

``MATRIX`` lists every endpoint of ``app.url_map`` with each method it takes,
and what each role in ``ROLES`` gets there.  Where the answer depends on the
object, the endpoint has a row per object (articles, drafts, alerts, page
feedback): one of the förvaltning of ``editor`` (TF), one of another
förvaltning (SOF, whose editor is ``editor_sof``), one that does not exist.  **Every new route must get its rows here**:
``test_every_route_is_in_the_matrix`` fails while the URL map has an endpoint
or method that the matrix does not list (and when a row names a route that is
gone).

Each row is requested at every URL the URL map has for its endpoint, so a
localised route is tried in Swedish, in English and in an added language
(``ADDED_LANGUAGE``, enabled by the demo), and each must give the outcome of
the row.  Outcomes:

``ok``
    2xx, or a redirect that is not to the login page; for a POST also the form
    shown again or a 400 from validation (the request got past the checks of
    who may send it).
``login``
    a redirect to the login page in the page's language, or 401.
``deny``
    403.
``missing``
    404.

Anything else (a 500, a 405, a refused CSRF token) is reported as it is.  A
refusal must be the portal's error page in the language of the URL (JSON
for the search API, the spec's ``errors`` for Open311) and must not call
itself an unexpected error.

POSTs are sent as a browser sends them, with a CSRF token read from a page,
and with an empty form: roles that may send it are stopped by validation and
nothing changes.  Where an allowed POST changes something all the same
(logging out, deleting search tuning), every request gets a target of its own
(``fresh_*`` objects, a new login).  What a permitted person may put in a form
(another förvaltning for an alert or an article) is for
``tests/test_content_permissions.py``.

There is one test per role, on an app of its own; it collects every cell that
differs and reports them all at once.
"""
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from content import operations
from content.models import Alert, Article, ArticleTranslation, PageFeedback, Severity
from content.revisions import RevisionData, Text
from eservices.open311.models import ApiKey
from portal.auth.models import User
from portal.catalogs.queries import entries as interface_entries
from portal.clock import utcnow
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.org.models import Department
from portal.search.models import BestBet, SynonymGroup
from portal.stats import Column, Section, Table, register_statistics
from tests.conftest import copy_of_demo, csrf_token, make_app, post_form

# The roles, in the order of the columns of MATRIX, and who logs in for each.
ROLES = {"anonymous": None, "agent": "agent", "editor": "editor", "editor_sof": "editor_sof",
         "translator": "translator", "officer": "officer", "manager": "manager", "admin": "admin"}
NO_ID = 999999
OUTCOMES = {"ok", "login", "deny", "missing"}


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    expected: dict                  # role → outcome
    args: dict = field(default_factory=dict)    # URL arguments; object names are looked up
    query: dict = field(default_factory=dict)
    relogin: bool = False           # the request logs out: log in again after it


def row(endpoint, method, expected, query=None, relogin=False, **args):
    outcomes = expected.split()
    assert len(outcomes) == len(ROLES), f"{endpoint}: {len(outcomes)} outcomes for {len(ROLES)} roles"
    assert set(outcomes) <= OUTCOMES, f"{endpoint}: {set(outcomes) - OUTCOMES} is not an outcome"
    return Row(endpoint, method, dict(zip(ROLES, outcomes)), args, query or {}, relogin)


Q = {"q": "hemtjänst"}
AGENT_SCOPE = {"q": "hemtjänst", "scope": "agent"}

MATRIX = [
    #   endpoint                   method   anon    agent   editor  ed_sof  transl  officer manager admin
    # --- everyone -------------------------------------------------------------------------------
    row("portal.root",             "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("portal.home",             "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("portal.healthz",          "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("static",                  "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        filename="css/portal.css"),
    row("content.sitemap",         "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("auth.login",              "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("auth.login",              "POST", "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("auth.logout",             "POST", "ok      ok      ok      ok      ok      ok      ok      ok",
        relogin=True),
    # --- agents during a call: the start page of staff whose roles have no screen of their own --
    row("auth.staff_start",        "GET",  "login   ok      ok      ok      ok      ok      ok      ok"),
    row("content.topic",           "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        slug="topic"),
    row("content.topic",           "GET",  "missing missing missing missing missing missing missing missing",
        slug="no_slug"),
    row("content.article",         "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        slug="sof_slug"),
    row("content.article",         "GET",  "missing missing missing missing missing missing missing missing",
        slug="tf_draft_slug"),   # a draft has no public page, not even for its editors
    row("content.feedback",        "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        slug="sof_slug"),
    row("content.feedback",        "POST", "ok      ok      ok      ok      ok      ok      ok      ok",
        slug="sof_slug"),
    row("content.feedback",        "GET",  "missing missing missing missing missing missing missing missing",
        slug="tf_draft_slug"),
    row("content.alerts",          "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("content.alerts_feed",     "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("eservices.landing",       "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        code="eservice"),
    row("eservices.landing",       "GET",  "missing missing missing missing missing missing missing missing",
        code="no_slug"),
    # --- search: the public scope for everyone, the agents' scope for agents --------------------
    row("search.results",          "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        query=Q),
    row("search.results",          "GET",  "login   ok      deny    deny    deny    deny    deny    ok",
        query=AGENT_SCOPE),
    row("search.api_search",       "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        query={**Q, "lang": "en"}),
    row("search.api_search",       "GET",  "login   ok      deny    deny    deny    deny    deny    ok",
        query={**AGENT_SCOPE, "lang": "sv"}),
    row("search.api_search",       "GET",  "login   ok      deny    deny    deny    deny    deny    ok",
        query={**AGENT_SCOPE, "lang": "en"}),
    row("search.follow",           "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        log_id=0, ref="sof_ref"),
    row("search.follow",           "GET",  "login   ok      deny    deny    deny    deny    deny    ok",
        log_id=0, ref="sof_ref", query={"scope": "agent"}),
    row("search.follow",           "GET",  "missing missing missing missing missing missing missing missing",
        log_id=0, ref="no_ref"),
    row("search.agent_search",     "GET",  "login   ok      deny    deny    deny    deny    deny    ok",
        query=Q),
    # --- the agents' article view: agents, and editors of the article's förvaltning -------------
    row("content.agent_article",   "GET",  "login   ok      ok      deny    deny    deny    deny    ok",
        article_id="tf_article"),
    row("content.agent_article",   "GET",  "login   ok      deny    ok      deny    deny    deny    ok",
        article_id="sof_article"),
    row("content.agent_article",   "GET",  "login   missing ok      deny    deny    deny    deny    ok",
        article_id="tf_draft"),
    row("content.agent_article",   "GET",  "login   missing deny    ok      deny    deny    deny    ok",
        article_id="sof_draft"),
    row("content.agent_article",   "GET",  "login   missing missing missing missing missing missing missing",
        article_id="no_article"),
    # --- the editors' workspace: editors, and only for their own förvaltningar -------------------
    row("content.dashboard",       "GET",  "login   deny    ok      ok      deny    deny    deny    ok"),
    row("content.new_article",     "GET",  "login   deny    ok      ok      deny    deny    deny    ok"),
    row("content.new_article",     "POST", "login   deny    ok      ok      deny    deny    deny    ok"),
    row("content.edit_article",    "GET",  "login   deny    ok      deny    deny    deny    deny    ok",
        article_id="tf_article"),
    row("content.edit_article",    "GET",  "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_article"),
    row("content.edit_article",    "GET",  "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_draft"),
    row("content.edit_article",    "GET",  "login   deny    missing missing deny    deny    deny    missing",
        article_id="no_article"),
    row("content.edit_article",    "POST", "login   deny    ok      deny    deny    deny    deny    ok",
        article_id="tf_article"),
    row("content.edit_article",    "POST", "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_article"),
    row("content.edit_article",    "POST", "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_draft"),
    row("content.edit_article",    "POST", "login   deny    missing missing deny    deny    deny    missing",
        article_id="no_article"),
    row("content.article_action",  "POST", "login   deny    ok      deny    deny    deny    deny    ok",
        article_id="tf_article"),
    row("content.article_action",  "POST", "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_article"),
    row("content.article_action",  "POST", "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_draft"),
    row("content.article_action",  "POST", "login   deny    missing missing deny    deny    deny    missing",
        article_id="no_article"),
    row("content.history",         "GET",  "login   deny    ok      deny    deny    deny    deny    ok",
        article_id="tf_article"),
    row("content.history",         "GET",  "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_article"),
    row("content.history",         "GET",  "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_draft"),
    row("content.history",         "GET",  "login   deny    missing missing deny    deny    deny    missing",
        article_id="no_article"),
    row("content.compare",         "GET",  "login   deny    ok      deny    deny    deny    deny    ok",
        article_id="tf_article"),
    row("content.compare",         "GET",  "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_article"),
    row("content.compare",         "GET",  "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_draft"),
    row("content.compare",         "GET",  "login   deny    missing missing deny    deny    deny    missing",
        article_id="no_article"),
    row("content.revert",          "POST", "login   deny    ok      deny    deny    deny    deny    ok",
        article_id="tf_article", number=1),
    row("content.revert",          "POST", "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_article", number=1),
    row("content.revert",          "POST", "login   deny    missing missing deny    deny    deny    missing",
        article_id="no_article", number=1),
    row("content.feedback_list",   "GET",  "login   deny    ok      ok      deny    deny    deny    ok"),
    row("content.mark_feedback",   "POST", "login   deny    ok      deny    deny    deny    deny    ok",
        feedback_id="tf_feedback"),
    row("content.mark_feedback",   "POST", "login   deny    deny    ok      deny    deny    deny    ok",
        feedback_id="sof_feedback"),
    row("content.mark_feedback",   "POST", "login   deny    missing missing deny    deny    deny    missing",
        feedback_id="no_feedback"),
    # --- Editors and reviewers (issue 13): the review screen, for the förvaltning's editors -------
    row("content.review",          "GET",  "login   deny    ok      deny    deny    deny    deny    ok",
        article_id="tf_article"),
    row("content.review",          "GET",  "login   deny    deny    ok      deny    deny    deny    ok",
        article_id="sof_draft"),
    row("content.review",          "GET",  "login   deny    missing missing deny    deny    deny    missing",
        article_id="no_article"),
    # --- translations (issue 14): the table for translators and editors (who review); translating
    #     for the language's translators (``translator`` translates into English); review for the
    #     article's förvaltning's editors and the language's translators
    row("content.translations",    "GET",  "login   deny    ok      ok      ok      deny    deny    ok"),
    row("content.translations",    "GET",  "login   deny    ok      ok      ok      deny    deny    ok",
        query={"lang": "en", "status": "outdated", "department": "x", "topic": "finns-inte"}),
    row("content.translate",       "GET",  "login   deny    deny    deny    ok      deny    deny    ok",
        article_id="tf_article", lang="en"),
    row("content.translate",       "POST", "login   deny    deny    deny    ok      deny    deny    ok",
        article_id="sof_article", lang="en"),
    row("content.translate",       "GET",  "login   deny    deny    deny    missing deny    deny    missing",
        article_id="tf_article", lang="sv"),   # the source language is no translation
    row("content.translate",       "GET",  "login   deny    deny    deny    missing deny    deny    missing",
        article_id="tf_draft", lang="en"),     # only published pages are translated
    row("content.translate",       "GET",  "login   deny    deny    deny    missing deny    deny    missing",
        article_id="no_article", lang="en"),
    row("content.review_translation", "GET", "login deny    ok      deny    ok      deny    deny    ok",
        article_id="tf_article", lang="en"),
    row("content.review_translation", "GET", "login deny    deny    ok      ok      deny    deny    ok",
        article_id="sof_article", lang="en"),
    row("content.review_translation", "POST", "login deny   ok      deny    ok      deny    deny    ok",
        article_id="tf_article", lang="en"),
    row("content.review_translation", "GET", "login deny    missing missing missing deny    deny    missing",
        article_id="no_article", lang="en"),
    # --- service alerts: editors for their förvaltningar, the manager for all -------------------
    row("content.alert_list",      "GET",  "login   deny    ok      ok      deny    deny    ok      ok"),
    row("content.new_alert",       "GET",  "login   deny    ok      ok      deny    deny    ok      ok"),
    row("content.new_alert",       "POST", "login   deny    ok      ok      deny    deny    ok      ok"),
    row("content.edit_alert",      "GET",  "login   deny    ok      deny    deny    deny    ok      ok",
        alert_id="tf_alert"),
    row("content.edit_alert",      "GET",  "login   deny    deny    ok      deny    deny    ok      ok",
        alert_id="sof_alert"),
    row("content.edit_alert",      "GET",  "login   deny    missing missing deny    deny    missing missing",
        alert_id="no_alert"),
    row("content.edit_alert",      "POST", "login   deny    ok      deny    deny    deny    ok      ok",
        alert_id="tf_alert"),
    row("content.edit_alert",      "POST", "login   deny    deny    ok      deny    deny    ok      ok",
        alert_id="sof_alert"),
    row("content.edit_alert",      "POST", "login   deny    missing missing deny    deny    missing missing",
        alert_id="no_alert"),
    row("content.alert_action",    "POST", "login   deny    ok      deny    deny    deny    ok      ok",
        alert_id="tf_alert"),
    row("content.alert_action",    "POST", "login   deny    deny    ok      deny    deny    ok      ok",
        alert_id="sof_alert"),
    row("content.alert_action",    "POST", "login   deny    missing missing deny    deny    missing missing",
        alert_id="no_alert"),
    # an approved crisis alert: only the manager changes it (its editors may end it, see below)
    row("content.edit_alert",      "GET",  "login   deny    deny    deny    deny    deny    ok      ok",
        alert_id="tf_crisis"),
    row("content.edit_alert",      "POST", "login   deny    deny    deny    deny    deny    ok      ok",
        alert_id="tf_crisis"),
    row("content.alert_action",    "POST", "login   deny    ok      deny    deny    deny    ok      ok",
        alert_id="tf_crisis"),
    # --- e-services: forms and tracking for everyone, cases for their förvaltning's officers ------
    row("eservices.catalogue",     "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("eservices.form_page",     "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        code="eservice", page_name="first_page"),
    row("eservices.form_page",     "POST", "ok      ok      ok      ok      ok      ok      ok      ok",
        code="eservice", page_name="first_page"),
    row("eservices.form_page",     "GET",  "missing missing missing missing missing missing missing missing",
        code="eservice", page_name="no_slug"),
    row("eservices.check",         "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        code="eservice"),
    row("eservices.check",         "POST", "ok      ok      ok      ok      ok      ok      ok      ok",
        code="eservice"),
    row("eservices.save_for_later", "POST", "ok     ok      ok      ok      ok      ok      ok      ok",
        code="eservice"),
    row("eservices.remove_file",   "POST", "missing missing missing missing missing missing missing missing",
        code="eservice", file_id="no_id"),
    row("eservices.receipt",       "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        code="eservice"),
    row("eservices.resume",        "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        token="fresh_draft_token"),
    row("eservices.resume",        "GET",  "missing missing missing missing missing missing missing missing",
        token="no_slug"),
    row("eservices.track",         "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        token="tf_case_token"),
    row("eservices.track",         "GET",  "missing missing missing missing missing missing missing missing",
        token="no_slug"),
    # --- the citizen's side of a case: replying and reopening under the tracking link -----------
    row("eservices.reply_to_case", "POST", "ok      ok      ok      ok      ok      ok      ok      ok",
        token="tf_case_token"),
    row("eservices.reply_to_case", "POST", "missing missing missing missing missing missing missing missing",
        token="no_slug"),
    row("eservices.reopen_case",   "POST", "ok      ok      ok      ok      ok      ok      ok      ok",
        token="tf_case_token"),
    row("eservices.reopen_case",   "POST", "missing missing missing missing missing missing missing missing",
        token="no_slug"),
    row("eservices.case_list",     "GET",  "login   deny    deny    deny    deny    ok      deny    ok"),
    # the contact centre (agents, the manager) reads every case that is not confidential
    row("eservices.case_page",     "GET",  "login   ok      deny    deny    deny    ok      ok      ok",
        case_id="tf_case"),
    # confidential (health data): the förvaltning's own officers, not even an admin
    row("eservices.case_page",     "GET",  "login   deny    deny    deny    deny    ok      deny    deny",
        case_id="tf_secret_case"),
    row("eservices.case_page",     "GET",  "login   ok      deny    deny    deny    deny    ok      ok",
        case_id="klf_case"),
    row("eservices.case_page",     "GET",  "login   missing deny    deny    deny    missing missing missing",
        case_id="no_id"),
    row("eservices.case_action",   "POST", "login   deny    deny    deny    deny    ok      deny    ok",
        case_id="tf_case"),
    row("eservices.case_action",   "POST", "login   deny    deny    deny    deny    ok      deny    deny",
        case_id="tf_secret_case"),
    row("eservices.case_action",   "POST", "login   deny    deny    deny    deny    deny    deny    ok",
        case_id="klf_case"),
    row("eservices.case_file",     "GET",  "login   ok      deny    deny    deny    ok      ok      ok",
        case_id="tf_case", file_id="tf_case_file"),
    row("eservices.case_file",     "GET",  "login   deny    deny    deny    deny    ok      deny    deny",
        case_id="tf_secret_case", file_id="tf_secret_file"),
    row("eservices.case_file",     "GET",  "login   missing deny    deny    deny    missing missing missing",
        case_id="tf_case", file_id="no_id"),
    # --- officers' queue and case page: the queue's filters, a case that does not exist, and the
    #     audit log of case reads (administrators only)
    row("eservices.case_list",     "GET",  "login   deny    deny    deny    deny    ok      deny    ok",
        query={"status": "closed", "typ": "eservice:felanmalan", "sla": "forsenade", "handlaggare": "mina",
               "sida": "2"}),
    row("eservices.case_list",     "GET",  "login   deny    deny    deny    deny    ok      deny    ok",
        query={"status": "finns-inte", "sida": "x"}),
    row("eservices.case_action",   "POST", "login   deny    deny    deny    deny    missing deny    missing",
        case_id="no_id"),
    row("eservices.case_file",     "GET",  "login   ok      deny    deny    deny    deny    ok      ok",
        case_id="klf_case", file_id="klf_case_file"),
    row("eservices.audit_log",     "GET",  "login   deny    deny    deny    deny    deny    deny    ok"),
    row("eservices.audit_log",     "GET",  "login   deny    deny    deny    deny    deny    deny    ok",
        query={"arende": "SJB-2026-000001", "anvandare": "officer", "sida": "1"}),
    # --- the agent workspace and reception: the contact centre (agents, the manager) -------------
    row("eservices.contact_log",   "GET",  "login   ok      deny    deny    deny    deny    ok      ok"),
    row("eservices.contact_log",   "GET",  "login   ok      deny    deny    deny    deny    ok      ok",
        query={"q": "hemtjänst"}),
    row("eservices.contact_log",   "GET",  "login   ok      deny    deny    deny    deny    ok      ok",
        uppringning="klf_case"),             # the forward form filled in from a call-back request
    row("eservices.contact_log",   "GET",  "login   missing deny    deny    deny    deny    missing missing",
        uppringning="tf_case"),              # no call-back request
    row("eservices.contact_log",   "POST", "login   ok      deny    deny    deny    deny    ok      ok"),
    row("eservices.case_lookup",   "GET",  "login   ok      deny    deny    deny    deny    ok      ok"),
    row("eservices.case_lookup",   "POST", "login   ok      deny    deny    deny    deny    ok      ok"),
    row("eservices.callbacks",     "GET",  "login   ok      deny    deny    deny    deny    ok      ok"),
    row("eservices.callback_done", "POST", "login   ok      deny    deny    deny    deny    ok      ok",
        case_id="klf_case"),
    row("eservices.callback_done", "POST", "login   missing deny    deny    deny    deny    missing missing",
        case_id="tf_case"),
    row("eservices.callback_done", "POST", "login   missing deny    deny    deny    deny    missing missing",
        case_id="no_id"),
    row("eservices.reception",     "GET",  "login   ok      deny    deny    deny    deny    ok      ok"),
    row("eservices.reception",     "POST", "login   ok      deny    deny    deny    deny    ok      ok"),
    # --- open311: the API is everyone's (a POST needs an api_key, which no login replaces); --------
    # its keys are the administrators'
    row("open311.discovery",       "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        fmt="xml"),
    row("open311.discovery",       "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        fmt="json"),
    row("open311.services",        "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        fmt="xml"),
    row("open311.service_definition", "GET", "ok      ok      ok      ok      ok      ok      ok      ok",
        service_code="gatubelysning", fmt="json"),
    row("open311.service_definition", "GET", "missing missing missing missing missing missing missing missing",
        service_code="no_slug", fmt="xml"),
    row("open311.request_list",    "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        fmt="json"),
    row("open311.request_detail",  "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        request_id="tf_case_reference", fmt="xml"),
    # a confidential case is no public request
    row("open311.request_detail",  "GET",  "missing missing missing missing missing missing missing missing",
        request_id="tf_secret_reference", fmt="json"),
    row("open311.request_detail",  "GET",  "missing missing missing missing missing missing missing missing",
        request_id="no_slug", fmt="xml"),
    row("open311.token",           "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        token="tf_case_reference", fmt="json"),
    row("open311.token",           "GET",  "missing missing missing missing missing missing missing missing",
        token="no_slug", fmt="xml"),
    row("open311.create_request",  "POST", "deny    deny    deny    deny    deny    deny    deny    deny",
        fmt="xml"),
    row("open311.create_request",  "POST", "deny    deny    deny    deny    deny    deny    deny    deny",
        fmt="json"),
    row("open311.keys",            "GET",  "login   deny    deny    deny    deny    deny    deny    ok"),
    row("open311.new_key",         "GET",  "login   deny    deny    deny    deny    deny    deny    ok"),
    row("open311.new_key",         "POST", "login   deny    deny    deny    deny    deny    deny    ok"),
    row("open311.revoke_key",      "POST", "login   deny    deny    deny    deny    deny    deny    ok",
        key_id="api_key"),
    row("open311.revoke_key",      "POST", "login   deny    deny    deny    deny    deny    deny    missing",
        key_id="no_id"),
    # --- languages: the registry is the administrators' ------------------------------------------
    row("languages.overview",      "GET",  "login   deny    deny    deny    deny    deny    deny    ok"),
    row("languages.overview",      "POST", "login   deny    deny    deny    deny    deny    deny    ok"),
    row("languages.enable",        "POST", "login   deny    deny    deny    deny    deny    deny    ok",
        code="so"),
    row("languages.enable",        "POST", "login   deny    deny    deny    deny    deny    deny    missing",
        code="xx"),
    row("languages.disable",       "POST", "login   deny    deny    deny    deny    deny    deny    ok",
        code="fi"),
    row("languages.disable",       "POST", "login   deny    deny    deny    deny    deny    deny    missing",
        code="xx"),
    # --- lokalbokning: rooms for everyone, a booking through its tracking link, and the rooms' ----
    #     admin pages for administrators and the officers of the förvaltning that owns the room
    row("eservices.room_list",     "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("eservices.room_page",     "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        room_id="kff_room"),
    row("eservices.room_page",     "GET",  "missing missing missing missing missing missing missing missing",
        room_id="no_id"),
    row("eservices.cancel_booking", "POST", "ok     ok      ok      ok      ok      ok      ok      ok",
        token="room_case_token"),
    row("eservices.cancel_booking", "POST", "missing missing missing missing missing missing missing missing",
        token="no_slug"),
    row("eservices.booking_calendar", "GET", "ok    ok      ok      ok      ok      ok      ok      ok",
        token="room_case_token"),
    row("eservices.booking_calendar", "GET", "missing missing missing missing missing missing missing missing",
        token="tf_case_token"),     # a case without a booking
    row("eservices.room_admin",    "GET",  "login   deny    deny    deny    deny    ok      deny    ok"),
    row("eservices.new_room",      "GET",  "login   deny    deny    deny    deny    ok      deny    ok"),
    row("eservices.new_room",      "POST", "login   deny    deny    deny    deny    ok      deny    ok"),
    row("eservices.edit_room",     "GET",  "login   deny    deny    deny    deny    ok      deny    ok",
        room_id="tf_room"),
    row("eservices.edit_room",     "GET",  "login   deny    deny    deny    deny    deny    deny    ok",
        room_id="kff_room"),
    row("eservices.edit_room",     "GET",  "login   deny    deny    deny    deny    missing deny    missing",
        room_id="no_id"),
    row("eservices.edit_room",     "POST", "login   deny    deny    deny    deny    ok      deny    ok",
        room_id="tf_room"),
    row("eservices.edit_room",     "POST", "login   deny    deny    deny    deny    deny    deny    ok",
        room_id="kff_room"),
    row("eservices.edit_room",     "POST", "login   deny    deny    deny    deny    missing deny    missing",
        room_id="no_id"),
    # --- felanmälan: open reports for everyone (not another service's case), the categories for admins
    row("eservices.fault_reports", "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("eservices.fault_reports", "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        query={"kategori": "klotter"}),
    row("eservices.fault_report",  "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        case_id="tf_case"),
    row("eservices.fault_report",  "GET",  "missing missing missing missing missing missing missing missing",
        case_id="klf_case"),
    row("eservices.fault_report",  "GET",  "missing missing missing missing missing missing missing missing",
        case_id="no_id"),
    row("eservices.leaflet_file",  "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        filename="leaflet.js"),
    row("eservices.leaflet_file",  "GET",  "missing missing missing missing missing missing missing missing",
        filename="leaflet-src.js"),
    row("eservices.fault_categories", "GET", "login deny    deny    deny    deny    deny    deny    ok"),
    row("eservices.new_fault_category", "GET", "login deny  deny    deny    deny    deny    deny    ok"),
    row("eservices.new_fault_category", "POST", "login deny deny    deny    deny    deny    deny    ok"),
    row("eservices.edit_fault_category", "GET", "login deny deny    deny    deny    deny    deny    ok",
        category_id=1),
    row("eservices.edit_fault_category", "POST", "login deny deny   deny    deny    deny    deny    ok",
        category_id=1),
    row("eservices.edit_fault_category", "GET", "login deny deny    deny    deny    deny    deny    missing",
        category_id="no_id"),
    # --- search tuning: shared by every förvaltning, so any editor --------------------------------
    row("search.curation_overview", "GET", "login   deny    ok      ok      deny    deny    deny    ok"),
    row("search.new_synonyms",     "GET",  "login   deny    ok      ok      deny    deny    deny    ok"),
    row("search.new_synonyms",     "POST", "login   deny    ok      ok      deny    deny    deny    ok"),
    row("search.edit_synonyms",    "GET",  "login   deny    ok      ok      deny    deny    deny    ok",
        group_id="synonyms"),
    row("search.edit_synonyms",    "POST", "login   deny    ok      ok      deny    deny    deny    ok",
        group_id="synonyms"),
    row("search.edit_synonyms",    "GET",  "login   deny    missing missing deny    deny    deny    missing",
        group_id="no_id"),
    row("search.delete_synonyms",  "POST", "login   deny    ok      ok      deny    deny    deny    ok",
        group_id="fresh_synonyms"),
    row("search.delete_synonyms",  "POST", "login   deny    missing missing deny    deny    deny    missing",
        group_id="no_id"),
    row("search.new_best_bet",     "GET",  "login   deny    ok      ok      deny    deny    deny    ok"),
    row("search.new_best_bet",     "POST", "login   deny    ok      ok      deny    deny    deny    ok"),
    row("search.delete_best_bet",  "POST", "login   deny    ok      ok      deny    deny    deny    ok",
        bet_id="fresh_best_bet"),
    row("search.delete_best_bet",  "POST", "login   deny    missing missing deny    deny    deny    missing",
        bet_id="no_id"),
    # --- issue 13, the citizens' points: the contact page is everyone's ------------------------
    row("portal.contact",          "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    # --- issue 14, the interface translated in the browser: translators of the language, admins --
    row("catalogs.overview",       "GET",  "login   deny    deny    deny    ok      deny    deny    ok"),
    row("catalogs.messages",       "GET",  "login   deny    deny    deny    ok      deny    deny    ok",
        language="en"),
    row("catalogs.messages",       "GET",  "login   deny    deny    deny    missing deny    deny    missing",
        language="sv"),          # the source language has no catalogue to translate
    row("catalogs.messages",       "GET",  "login   deny    deny    deny    missing deny    deny    missing",
        language="no_slug"),
    row("catalogs.edit_message",   "GET",  "login   deny    deny    deny    ok      deny    deny    ok",
        language="en", key="interface_message"),
    row("catalogs.edit_message",   "POST", "login   deny    deny    deny    ok      deny    deny    ok",
        language="en", key="interface_message"),
    row("catalogs.edit_message",   "GET",  "login   deny    deny    deny    missing deny    deny    missing",
        language="en", key="no_slug"),
    # --- issue 15, statistics: the manager and admins for every förvaltning, officers for their own;
    # the API's anonymous figures are everyone's.  The table is the one of ``matrix_statistics``.
    row("stats.dashboard",         "GET",  "login   deny    deny    deny    deny    ok      ok      ok"),
    row("stats.export",            "GET",  "login   deny    deny    deny    deny    ok      ok      ok",
        key="matrix_table", fmt="csv"),
    row("stats.export",            "GET",  "login   deny    deny    deny    deny    ok      ok      ok",
        key="matrix_table", fmt="xlsx"),
    row("stats.export",            "GET",  "login   deny    deny    deny    deny    missing missing missing",
        key="no_such_table", fmt="csv"),
    row("stats.export",            "GET",  "login   deny    deny    deny    deny    missing missing missing",
        key="no_such_table", fmt="xlsx"),
    row("stats.api_index",         "GET",  "ok      ok      ok      ok      ok      ok      ok      ok"),
    row("stats.api_table",         "GET",  "ok      ok      ok      ok      ok      ok      ok      ok",
        key="matrix_table"),
    row("stats.api_table",         "GET",  "missing missing missing missing missing missing missing missing",
        key="no_such_table"),
]


# --- the objects the rows name ------------------------------------------------------
def add_draft(department, slug):
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    content = RevisionData(department_id=department.id,
                           texts={"sv": Text(title=f"Utkast {department.code}", slug=slug)})
    return operations.create_article(admin, content).id


def add_alert(department, severity):
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    now = utcnow()
    values = dict(severity=severity, department_id=department.id,
                  titles={"sv": f"{severity} {department.code}"},
                  messages={"sv": "Meddelande."}, starts_at=now - timedelta(hours=1),
                  ends_at=now + timedelta(days=1), articles=[], eservices=[])
    return operations.ALERT_ACTIONS["save_alert"].execute(Alert(), admin, values=values).id


def live_article(slug):
    return db.session.scalar(select(Article).join(ArticleTranslation).where(ArticleTranslation.slug == slug))


def feedback_on(article):
    return db.session.scalar(select(PageFeedback.id).where(PageFeedback.article_id == article.id))


def add_case(department, service_code, confidential=False):
    """A case with one stored file, as a submission leaves it."""
    from eservices import uploads
    from eservices.models import Case, CaseFile
    from tests.test_eservices import png_upload

    stored = uploads.accept(png_upload(), ("image",), 1024 * 1024)
    case = Case(reference=f"SJB-2026-9{department.id:05d}{int(confidential)}", service_code=service_code,
                title="Matrisärende", department_id=department.id, confidential=confidential, lang="sv",
                tracking_token=f"matris-{department.code}-{service_code}", answers={})
    case.files = [CaseFile(field="photos", stored_name=stored.stored_name, original_name="bild.png",
                           content_type=stored.content_type, size=stored.size)]
    db.session.add(case)
    db.session.commit()
    return case


def lokalbokning_objects():
    """A demo room of KFF, a room of TF (the officer's), and a case with a confirmed booking."""
    from eservices.models import Case
    from eservices.services.lokalbokning import availability, booking
    from eservices.services.lokalbokning.models import BookingStatus, Room

    kff_room = db.session.scalar(select(Room).where(Room.name == "Sjöbackahallen"))
    tf = db.session.scalar(select(Department).where(Department.code == "TF"))
    tf_room = Room(name="Matrissalen", department_id=tf.id, prices={"privatperson": 10000})
    case = Case(reference="SJB-2026-980000", service_code="lokalbokning", title="Matrisbokning",
                department_id=kff_room.department_id, lang="sv", tracking_token="matris-lokalbokning", answers={})
    db.session.add_all([tf_room, case])
    db.session.flush()
    day = availability.local_date(utcnow()) + timedelta(days=40)
    held = booking.book(kff_room, *availability.local_slot(day, time(6), time(7)), "privatperson", case.id)
    held.status = BookingStatus.CONFIRMED
    db.session.commit()
    return {"kff_room": kff_room.id, "tf_room": tf_room.id, "room_case_token": case.tracking_token}


def officer_queue_objects():
    """The file of the contact centre's case (made by ``add_objects`` just before)."""
    from eservices.models import Case, CaseFile

    klf = db.session.scalar(select(Department).where(Department.code == "KLF"))
    return {"klf_case_file": db.session.scalar(select(CaseFile.id).join(Case).where(Case.department_id == klf.id))}


def add_objects():
    """The objects the rows name: ids, or a slug per language."""
    tf, sof = (db.session.scalar(select(Department).where(Department.code == code)) for code in ("TF", "SOF"))
    tf_article, sof_article = live_article("sophamtning-och-avfallsabonnemang"), live_article("hemtjanst")
    tf_alert = db.session.scalar(select(Alert.id).where(Alert.department_id == tf.id))
    klf = db.session.scalar(select(Department).where(Department.code == "KLF"))
    tf_case, tf_secret = add_case(tf, "felanmalan"), add_case(tf, "parkeringstillstand", confidential=True)
    return {
        "tf_case": tf_case.id, "tf_case_file": tf_case.files[0].id, "tf_case_token": tf_case.tracking_token,
        "tf_secret_case": tf_secret.id, "tf_secret_file": tf_secret.files[0].id,
        "klf_case": add_case(klf, "bli-uppringd").id, "first_page": "fel",
        "tf_article": tf_article.id, "sof_article": sof_article.id, "no_article": NO_ID,
        "tf_draft": add_draft(tf, "utkast-tf"), "sof_draft": add_draft(sof, "utkast-sof"),
        "tf_draft_slug": "utkast-tf", "sof_slug": {t.lang: t.slug for t in sof_article.translations},
        "sof_ref": {t.lang: f"article:{sof_article.id}" for t in sof_article.translations},
        "no_ref": f"article:{NO_ID}",
        "tf_feedback": feedback_on(tf_article), "sof_feedback": feedback_on(sof_article),
        "no_feedback": NO_ID, "tf_alert": tf_alert, "sof_alert": add_alert(sof, Severity.INFO),
        "tf_crisis": add_alert(tf, Severity.CRISIS), "no_alert": NO_ID,
        "synonyms": db.session.scalar(select(SynonymGroup.id)), "no_id": NO_ID,
        "topic": {"sv": "omsorg-och-stod", "en": "care-and-support"}, "eservice": "felanmalan", "no_slug": "finns-inte",
        "tf_case_reference": tf_case.reference, "tf_secret_reference": tf_secret.reference,
        "api_key": db.session.scalar(select(ApiKey.id).where(ApiKey.active.is_(True))),
        "interface_message": interface_entries("en")[0].key,
        **lokalbokning_objects(), **officer_queue_objects(),
    }


def fresh_synonyms():
    group = SynonymGroup(terms="matrisord, matristerm")
    db.session.add(group)
    db.session.commit()
    return group.id


def fresh_best_bet():
    bet = BestBet(query="matris", lang="sv", doc_type="article", doc_id="1")
    db.session.add(bet)
    db.session.commit()
    return bet.id


def fresh_draft_token():
    from eservices import operations, registry

    _draft, token = operations.start_draft(registry.get("felanmalan"), "sv")
    db.session.commit()
    return token


FRESH = {"fresh_synonyms": fresh_synonyms, "fresh_best_bet": fresh_best_bet,
         "fresh_draft_token": fresh_draft_token}


@pytest.fixture(scope="module")
def matrix_template(demo_template, tmp_path_factory):
    """The demo instance with an editor of SOF and the objects of ``add_objects``."""
    folder = tmp_path_factory.mktemp("matrix")
    app = copy_of_demo(demo_template, folder)
    result = app.test_cli_runner().invoke(args=[
        "create-user", "editor_sof", "--name", "Sam Redaktör (Socialförvaltningen)",
        "--role", "editor:SOF", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output
    with app.app_context():
        objects = add_objects()
        db.engine.dispose()
    return folder / "instance", objects


def matrix_statistics(query):
    """A statistics provider for the rows of ``portal.stats``: the shell registers none itself."""
    return Section("matrix", _l("Statistik"), [Table(
        "matrix_table", _l("Statistik"), [Column("day", _l("Period"), "date"), Column("count", _l("Antal"), "int")],
        rows=[(query.start, 3), (query.end, 5)], chart="line")])


def with_statistics(app):
    register_statistics(app, "matrix", matrix_statistics)
    return app


@pytest.fixture
def app(matrix_template, tmp_path):
    return with_statistics(copy_of_demo(matrix_template[0], tmp_path))


# --- requests and what came of them ------------------------------------------------
# An added language (portal.languages) whose interface is Swedish: easy-to-read Swedish.
ADDED_LANGUAGE = "sv-x-lattlast"
LOGIN_PATHS = {"sv": "/sv/logga-in", "en": "/en/login", ADDED_LANGUAGE: f"/{ADDED_LANGUAGE}/logga-in"}
ERROR_CODE = {"sv": "Felkod {}.", "en": "Error code {}.", ADDED_LANGUAGE: "Felkod {}."}
UNEXPECTED_ERROR = {"sv": "Något gick fel hos oss", "en": "Something went wrong on our side",
                    ADDED_LANGUAGE: "Något gick fel hos oss"}
CSRF_REFUSED = {"sv": "Formuläret hade gått ut", "en": "The form had expired"}
REFUSALS = {401: "login", 403: "deny", 404: "missing"}


class Visitor:
    """A browser as one role: logs in, and sends forms with a CSRF token read from a page."""

    def __init__(self, app, username):
        self.client, self.username = app.test_client(), username
        self.login()

    def login(self):
        if self.username:
            response = post_form(self.client, "/sv/logga-in",
                                 {"username": self.username, "password": DEMO_PASSWORD})
            assert response.status_code == 302, f"{self.username} could not log in"
        self.token = csrf_token(self.client, "/sv/logga-in")

    def send(self, method, url):
        if method == "POST":
            return self.client.post(url, data={"csrf_token": self.token})
        return self.client.get(url)


def outcome(response, method, lang):
    """The response in the words of the matrix."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return redirect_outcome(response, lang)
    if status < 300 or (status == 400 and method == "POST" and not csrf_refused(response)):
        return "ok"
    if status in REFUSALS:
        problem = refusal_problem(response, lang)
        return f"{REFUSALS[status]} ({problem})" if problem else REFUSALS[status]
    return f"{status} {response.get_data(as_text=True)[:200]!r}"


def redirect_outcome(response, lang):
    path = urlsplit(response.location).path
    if path not in LOGIN_PATHS.values():
        return "ok"
    return "login" if path == LOGIN_PATHS[lang] else f"login in the wrong language ({path})"


def csrf_refused(response):
    text = response.get_data(as_text=True)
    return any(message in text for message in CSRF_REFUSED.values())


def refusal_problem(response, lang):
    """Why a refusal is not the portal's error page in ``lang`` (None when it is)."""
    if response.is_json or response.mimetype == "text/xml":
        return api_refusal_problem(response)
    html = response.get_data(as_text=True)
    if f'<html lang="{lang}"' not in html:
        return f"not in {lang}"
    if ERROR_CODE[lang].format(response.status_code) not in html:
        return "not the error page"
    if UNEXPECTED_ERROR[lang] in html:
        return "calls itself an unexpected error"
    return None


def api_refusal_problem(response):
    """The search API answers {"error": …}; Open311 the spec's errors/error, in XML or as a JSON list."""
    if response.mimetype == "text/xml":
        return None if ET.fromstring(response.data).tag == "errors" else "XML without errors"
    body = response.json
    if isinstance(body, list):
        return None if body and all({"code", "description"} <= set(e) for e in body) else "JSON without errors"
    return None if "error" in body else "JSON without an error"


def row_urls(app, row, objects):
    """(language, URL) for each rule of the URL map that serves the row, but for
    the added language where the row's object is not written in it."""
    rules = [rule for rule in app.url_map.iter_rules(row.endpoint) if row.method in rule.methods]
    assert rules, f"no {row.method} rule for {row.endpoint}"
    with app.test_request_context():
        urls = [url_for_rule(row, rule, objects) for rule in rules]
    assert len({url for _lang, url in urls}) == len(rules), f"{row.endpoint}: one URL for two rules"
    return [(lang, url) for lang, url in urls if url is not None]


def url_for_rule(row, rule, objects):
    """The rule's language (a built-in language's default, else ``ADDED_LANGUAGE``
    for the rule of the added languages) and its URL (None: not in that language)."""
    lang = (rule.defaults or {}).get("lang_code") or (ADDED_LANGUAGE if "lang_code" in rule.arguments else None)
    args = {name: resolve(value, lang, objects) for name, value in row.args.items()}
    if NOT_IN_LANGUAGE in args.values():
        return lang, None
    if lang:
        args["lang_code"] = lang
    return lang or "sv", url_for(row.endpoint, **args, **row.query)


NOT_IN_LANGUAGE = object()


def resolve(value, lang, objects):
    """An argument of a row: an object's id or slug (``add_objects``), a new object
    (``FRESH``), or the value itself.  An object given per language (a slug) that
    the added language lacks is ``NOT_IN_LANGUAGE``."""
    if value in FRESH:
        return FRESH[value]()
    value = objects.get(value, value) if isinstance(value, str) else value
    if not isinstance(value, dict):
        return value
    return value.get(lang, NOT_IN_LANGUAGE if lang == ADDED_LANGUAGE else value["sv"])


def mismatches(app, visitor, role, objects):
    found = []
    for row in MATRIX:
        for lang, url in row_urls(app, row, objects):
            got = outcome(visitor.send(row.method, url), row.method, lang)
            if row.relogin:
                visitor.login()
            if got != row.expected[role]:
                found.append(f"{row.method} {url}: expected {row.expected[role]}, got {got}")
    return found


# --- the tests ------------------------------------------------------------------------
def test_every_route_is_in_the_matrix(tmp_path):
    """A new route (or a new method on one) needs its rows in MATRIX."""
    app = make_app(tmp_path)
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    listed = {(row.endpoint, row.method) for row in MATRIX}
    unlisted, gone = sorted(routes - listed), sorted(listed - routes)
    assert not unlisted, f"add rows to MATRIX for these routes: {unlisted}"
    assert not gone, f"MATRIX lists routes that no longer exist: {gone}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, matrix_template, role):
    found = mismatches(app, Visitor(app, ROLES[role]), role, matrix_template[1])
    assert not found, f"{len(found)} cells differ for {role}:\n" + "\n".join(found)
