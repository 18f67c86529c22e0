"""Demo knowledge base: the articles in ``content/demo/articles/*.toml``.

Most are published; a few are left as drafts, in review or near their review
date so that the editors' dashboard has something to show.
"""
import tomllib
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from content import workflow
from content.models import DISRUPTION, INFO, Alert, Article, PageFeedback
from portal.auth.models import User, utcnow
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


def revision_data(raw, departments, slug_ids=None):
    slug_ids = slug_ids or {}
    translations = {}
    for lang in ("sv", "en"):
        if lang in raw:
            t = raw[lang]
            translations[lang] = {key: t.get(key, "") for key in
                                  ("slug", "title", "summary", "body", "opening_hours")}
            translations[lang]["keywords"] = t.get("keywords", [])
    today = date.today().isoformat()
    agent = raw.get("agent", {})
    return {
        "department_id": departments[raw["department"]],
        "topics": raw.get("topics", []),
        "rosa_level": raw.get("rosa_level", 1),
        "contact": {"phone": raw.get("contact_phone", ""), "email": raw.get("contact_email", "")},
        "eservices": raw.get("eservices", []),
        "related": [slug_ids[s] for s in raw.get("related", []) if s in slug_ids],
        "translations": translations,
        "agent": {"notes": agent.get("notes", ""), "script": agent.get("script", ""),
                  "checklist": agent.get("checklist", []),
                  "notes_reviewed": today, "script_reviewed": today, "checklist_reviewed": today},
        "review_before": "", "publish_at": "", "unpublish_at": "",
    }


def load_demo_content():
    if db.session.scalar(select(Article.id).limit(1)):
        return
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    departments = {d.code: d.id for d in db.session.scalars(select(Department))}
    raws = {path.stem: tomllib.loads(path.read_text("utf-8")) for path in sorted(ARTICLES.glob("*.toml"))}
    articles = {}
    for slug, raw in raws.items():
        articles[slug] = workflow.create_article(admin, revision_data(raw, departments),
                                                 comment="Demoinnehåll")
    slug_ids = {slug: article.id for slug, article in articles.items()}
    for slug, raw in raws.items():
        article = articles[slug]
        data = revision_data(raw, departments, slug_ids)
        workflow.save_draft(admin, article, data, article.latest_revision_id, "Relaterade artiklar")
        if NOT_PUBLISHED.get(slug) == "draft":
            continue
        workflow.submit(admin, article)
        if NOT_PUBLISHED.get(slug) == "in_review":
            continue
        workflow.approve(admin, article)
        if slug in REVIEW_OVERDUE:
            article.review_before = date.today() - timedelta(days=10)
    load_demo_alerts(admin, articles, departments)
    load_demo_feedback(articles)
    load_demo_search_settings(slug_ids)
    db.session.commit()


def load_demo_alerts(admin, articles, departments):
    now = utcnow()
    water = articles.get("vattenlacka-och-avbrott-i-vattnet")
    db.session.add(Alert(
        severity=DISRUPTION, department_id=departments["TF"], created_by_id=admin.id,
        titles={"sv": "Vattenavstängning på Storgatan", "en": "Water shut off on Storgatan"},
        messages={"sv": "Vattnet är avstängt på Storgatan 10–24 på grund av en läcka. "
                        "Tappställe finns vid Storgatan 12. Beräknas klart kl. 18.",
                  "en": "Water is shut off at Storgatan 10–24 because of a leak. Drinking water "
                        "is available at Storgatan 12. Expected to be fixed by 6 pm."},
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(days=2),
        articles=[water] if water else []))
    db.session.add(Alert(
        severity=INFO, department_id=departments["KFF"], created_by_id=admin.id,
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
