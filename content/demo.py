"""Demo knowledge base: the articles in ``content/demo/articles/*.toml``.

Most are published; a few are left as drafts, in review or near their review
date so that the editors' dashboard has something to show.  Every language
section of a file (``[sv]``, ``[en]``, ``[fi]``, ``["sv-x-lattlast"]`` …) is
published with it; where there are translations beyond English, two of them
are made outdated by a later Swedish change, and the translators' table gets a
translation in progress and one in review.
"""
import tomllib
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from content import operations
from content.models import Alert, Article, PageFeedback, Severity, TranslationState, TranslationWork
from content.revisions import AgentLayer, AgentText, Contact, RevisionData, Text
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department
from portal.search.models import BestBet, SynonymGroup

ARTICLES = Path(__file__).parent / "demo" / "articles"
# slug: what to leave it as (everything else is published)
NOT_PUBLISHED = {"tomtko": "draft", "radon-i-bostaden": "in_review"}
REVIEW_OVERDUE = {"snorojning-och-halkbekampning", "grovavfall", "detaljplaner"}
SYNONYMS = [
    ("sopor, avfall, hushållsavfall, sophämtning", False),
    ("hemtjänst, äldreomsorg, hemhjälp", False),
    ("p-tillstånd, parkeringstillstånd", True),
    ("handikapptillstånd, parkeringstillstånd", True),
    ("dagis, förskola", True),
    ("socialbidrag, ekonomiskt bistånd, försörjningsstöd", False),
]
TEXT_KEYS = ("slug", "title", "summary", "body", "opening_hours", "keywords")
# Later changes of a page (slug: {language: [(old, new)]}) that leave the translations
# not named behind, as happens when the editor updates only the Swedish and English.
SOURCE_CHANGES = {
    "boendeparkering": {"sv": [("Det kostar 300 kronor i månaden", "Det kostar 350 kronor i månaden"),
                               ("| 1 månad | 300 kr |", "| 1 månad | 350 kr |")]},
    "ekonomiskt-bistand": {
        "sv": [("Beslut kommer normalt inom **två veckor** från det att ansökan är komplett.",
                "Beslut kommer normalt inom **tio arbetsdagar** från det att ansökan är komplett. "
                "Från och med i år ska du också bifoga ett utdrag från Kronofogden om dina skulder.")],
        "en": [("Decisions are usually made within **two weeks** of a complete application.",
                "Decisions are usually made within **ten working days** of a complete application. From this "
                "year you must also attach a statement of your debts from the Swedish Enforcement Authority.")]},
}
# Translations under way: (slug, language, state, translator, Text fields)
WORK = [
    ("hemtjanst", "fi", TranslationState.IN_PROGRESS, "translator_fi", dict(
        slug="kotipalvelu", title="Kotipalvelu",
        summary="Kotipalvelu on apua kotiin, jos et iän, sairauden tai vamman vuoksi selviydy arjesta itse.",
        body="## Kuka voi saada kotipalvelua?\n\nHaet kotipalvelua avustuskäsittelijältä.")),
    ("fardtjanst", "fi", TranslationState.IN_REVIEW, "translator_fi", dict(
        slug="kuljetuspalvelu", title="Kuljetuspalvelu",
        summary="Kuljetuspalvelu tarkoittaa matkoja taksilla tai erikoisajoneuvolla, jos sinulla on pysyvä "
                "toimintarajoite etkä voi käyttää tavallista joukkoliikennettä. Hae lääkärintodistuksella; "
                "päätös neljän viikon kuluessa.",
        body="## Kuka voi saada kuljetuspalvelua?\n\nVoit saada kuljetuspalvelua, jos sinulla on pysyvä "
             "toimintarajoite, jonka vuoksi sinulla on vaikeuksia matkustaa itse tai käyttää joukkoliikennettä.\n\n"
             "## Näin haet\n\nSoita kunnan neuvontaan ja pyydä hakulomake. Liitä mukaan lääkärintodistus.",
        keywords=["kuljetuspalvelu", "taksi", "invataksi"])),
]


def revision_content(raw, departments, slug_ids=None):
    """The content of a demo article from its TOML (related articles once their ids exist)."""
    slug_ids = slug_ids or {}
    today = date.today().isoformat()
    agent = raw.get("agent", {})
    return RevisionData(
        department_id=departments[raw["department"]],
        texts={lang: Text(**{key: section[key] for key in TEXT_KEYS if key in section})
               for lang, section in language_sections(raw).items()},
        topics=raw.get("topics", []),
        rosa_level=raw.get("rosa_level", 1),
        contact=Contact(phone=raw.get("contact_phone", ""), email=raw.get("contact_email", "")),
        eservices=raw.get("eservices", []),
        related=[slug_ids[s] for s in raw.get("related", []) if s in slug_ids],
        agent=AgentLayer(notes=agent.get("notes", ""), script=agent.get("script", ""),
                         checklist=agent.get("checklist", []), notes_reviewed=today,
                         script_reviewed=today, checklist_reviewed=today))


def language_sections(raw):
    """The texts of a demo file by language: every table with a title but the agent layer."""
    return {key: value for key, value in raw.items()
            if isinstance(value, dict) and key != "agent" and "title" in value}


def load_demo_content():
    if db.session.scalar(select(Article.id).limit(1)):
        return
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    departments = {d.code: d.id for d in db.session.scalars(select(Department))}
    raws = {path.stem: tomllib.loads(path.read_text("utf-8")) for path in sorted(ARTICLES.glob("*.toml"))}
    articles = {slug: operations.create_article(admin, revision_content(raw, departments),
                                                comment="Demoinnehåll")
                for slug, raw in raws.items()}
    slug_ids = {slug: article.id for slug, article in articles.items()}
    for slug, raw in raws.items():
        publish_demo_article(admin, articles[slug], revision_content(raw, departments, slug_ids),
                             NOT_PUBLISHED.get(slug))
        if slug in REVIEW_OVERDUE:
            articles[slug].review_before = date.today() - timedelta(days=10)
    if any(set(language_sections(raw)) - {"sv", "en"} for raw in raws.values()):
        load_demo_translation_work(admin, articles)
    load_demo_alerts(admin, articles, departments)
    load_demo_feedback(articles)
    load_demo_search_settings(slug_ids)
    db.session.commit()


def publish_demo_article(admin, article, content, leave_as=None):
    """Save the full content, then take it through review unless it stays a draft or in review."""
    actions = operations.ACTIONS
    actions["save"].execute(article, admin, content=content, base_revision=article.latest_revision,
                            comment="Relaterade artiklar")
    if leave_as == "draft":
        return
    # No review requests: they would go to the demo's made-up addresses.
    actions["submit"].execute(article, admin, revision=article.latest_revision, notify=False)
    if leave_as != "in_review":
        actions["approve"].execute(article, admin, revision=article.latest_revision)


def load_demo_translation_work(admin, articles):
    """Outdate the translations beyond English of ``SOURCE_CHANGES``' pages with a later
    Swedish change, and leave the translations of ``WORK`` in progress and in review."""
    for slug, replacements in SOURCE_CHANGES.items():
        if slug in articles:
            change_source(admin, articles[slug], replacements)
    for slug, lang, state, username, fields in WORK:
        translator = db.session.scalar(select(User).where(User.username == username))
        article = articles.get(slug)
        if article is not None and translator is not None and article.translation(lang) is None:
            db.session.add(TranslationWork(
                article_id=article.id, lang=lang, state=state, text=asdict(Text(**fields)), agent=asdict(AgentText()),
                source_revision_id=article.live_revision_id, author_id=translator.id))


def change_source(admin, article, replacements):
    """Publish a new version with the texts changed as ``replacements`` says; the
    translations left as they were stay made from the version before."""
    content = RevisionData.from_json(article.live_revision.data)
    for lang, pairs in replacements.items():
        text = content.texts.get(lang)
        for old, new in pairs if text else ():
            text.summary, text.body = text.summary.replace(old, new), text.body.replace(old, new)
    publish_demo_article(admin, article, content)


def load_demo_alerts(admin, articles, departments):
    now = utcnow()
    water = articles.get("vattenlacka-och-avbrott-i-vattnet")
    save = operations.ALERT_ACTIONS["save_alert"]
    save.execute(Alert(), admin, values=dict(
        severity=Severity.DISRUPTION, department_id=departments["TF"], eservices=[],
        titles={"sv": "Vattenavstängning på Storgatan", "en": "Water shut off on Storgatan"},
        messages={"sv": "Vattnet är avstängt på Storgatan 10–24 på grund av en läcka. "
                        "Tappställe finns vid Storgatan 12. Beräknas klart kl. 18.",
                  "en": "Water is shut off at Storgatan 10–24 because of a leak. Drinking water "
                        "is available at Storgatan 12. Expected to be fixed by 6 pm."},
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(days=2),
        articles=[water] if water else []))
    save.execute(Alert(), admin, values=dict(
        severity=Severity.INFO, department_id=departments["KFF"], eservices=[],
        titles={"sv": "Badhuset stänger för underhåll", "en": "Swimming baths closed for maintenance"},
        messages={"sv": "Sjöbadet är stängt vecka 50 för underhåll av bassängerna.",
                  "en": "Sjöbadet is closed in week 50 for pool maintenance."},
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=20),
        articles=[a for s, a in articles.items() if s.startswith("badhuset")]))


def load_demo_feedback(articles):
    samples = [("hemtjanst", True, ""), ("hemtjanst", False, "Svårt att förstå vad det kostar."),
               ("ansok-om-bygglov", True, ""), ("ansok-om-bygglov", False, "Saknar handläggningstid."),
               ("sophamtning-och-avfallsabonnemang", True, "Bra tabell!")]
    for slug, helpful, comment in samples:
        if slug in articles:
            db.session.add(PageFeedback(article_id=articles[slug].id, lang="sv",
                                        helpful=helpful, comment=comment))


def load_demo_search_settings(slug_ids):
    for terms, one_way in SYNONYMS:
        db.session.add(SynonymGroup(terms=terms, one_way=one_way))
    if "parkeringstillstand-for-rorelsehindrade" in slug_ids:
        db.session.add(BestBet(query="parkering", lang="sv", doc_type="article",
                               doc_id=str(slug_ids["parkeringstillstand-for-rorelsehindrade"])))
