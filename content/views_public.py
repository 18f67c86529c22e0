"""Public pages (citizens) and the agent's article view."""
import hashlib

from flask import Response, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from content.blueprint import bp
from content.forms import FeedbackForm
from content.models import PageFeedback
from content.queries import active_alerts, alerts_for_page, article_or_404, live_article_by_slug, live_articles
from portal.auth.models import AGENT, utcnow
from portal.auth.access import role_required
from portal.extensions import db
from portal.i18n import current_language, languages, localized_route
from portal.org.models import Topic
from portal.privacy import scrub


def article_alternates(article):
    return {t.lang: url_for("content.article", slug=t.slug, lang_code=t.lang)
            for t in article.translations}


@localized_route(bp, {"sv": "/amne/<slug>", "en": "/topic/<slug>"})
def topic(slug):
    topic = db.session.scalar(select(Topic).where(Topic.slug == slug)) or abort(404)
    lang = current_language()
    entries = sorted(((a, a.translation(lang) or a.translation("sv")) for a in live_articles(topic=topic)),
                     key=lambda pair: pair[1].title)
    return render_template("content/topic.html", topic=topic, entries=entries)


@localized_route(bp, {"sv": "/artikel/<slug>", "en": "/article/<slug>"})
def article(slug):
    article, translation = live_article_by_slug(current_language(), slug)
    alerts = alerts_for_page(article=article)
    etag = hashlib.sha1(f"{article.live_revision_id}:{translation.lang}:{[a.id for a in alerts]}"
                        .encode()).hexdigest()
    cacheable = not current_user.is_authenticated
    if cacheable and etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    g.alternates = article_alternates(article)
    response = make_response(render_template(
        "content/article.html", article=article, translation=translation,
        revision=article.live_revision, alerts=alerts))
    if cacheable:
        response.set_etag(etag)
        response.last_modified = article.last_published_at
        response.cache_control.public = True
        response.cache_control.max_age = 60
    return response


@localized_route(bp, {"sv": "/artikel/<slug>/omdome", "en": "/article/<slug>/feedback"},
                 methods=("GET", "POST"))
def feedback(slug):
    article, translation = live_article_by_slug(current_language(), slug)
    form = FeedbackForm(helpful=request.args.get("svar") if request.method == "GET" else None)
    if form.validate_on_submit():
        db.session.add(PageFeedback(article_id=article.id, lang=translation.lang,
                                    helpful=form.helpful.data == "yes",
                                    comment=scrub(form.comment.data or "")))
        db.session.commit()
        flash(_("Tack för ditt svar! Det hjälper oss att förbättra sidan."), "success")
        return redirect(url_for("content.article", slug=slug))
    g.alternates = {t.lang: url_for("content.feedback", slug=t.slug, lang_code=t.lang)
                    for t in article.translations}
    return render_template("content/feedback.html", form=form, article=article, translation=translation)


@localized_route(bp, {"sv": "/kunskap/<int:article_id>", "en": "/knowledge/<int:article_id>"})
@role_required(AGENT)
def agent_article(article_id):
    """The article as agents see it during a call: public text plus the agent layer."""
    article = article_or_404(article_id, "can_view_agent_layer")
    if not article.is_live() and not article.can_edit(current_user):
        abort(404)
    lang = current_language()
    revision = article.live_revision or article.latest_revision
    translation = revision.translation(lang) or revision.translation("sv")
    return render_template("content/agent_article.html", article=article, revision=revision,
                           translation=translation,
                           rendered=revision.rendered["translations"].get(lang) or revision.rendered["translations"]["sv"],
                           alerts=alerts_for_page(article=article))


@localized_route(bp, {"sv": "/driftinformation", "en": "/service-alerts"})
def alerts():
    return render_template("content/alerts.html", alerts=active_alerts())


@localized_route(bp, {"sv": "/driftinformation.atom", "en": "/service-alerts.atom"})
def alerts_feed():
    current = active_alerts()
    updated = max((a.updated_at for a in current), default=utcnow())
    xml = render_template("content/alerts.atom", alerts=current, updated=updated)
    return Response(xml, mimetype="application/atom+xml")


@bp.route("/sitemap.xml")
def sitemap():
    entries = []
    for article in live_articles():
        alternates = {t.lang: url_for("content.article", slug=t.slug, lang_code=t.lang, _external=True)
                      for t in article.translations}
        for url in alternates.values():
            entries.append((url, article.last_published_at, alternates))
    for lang in languages():
        entries.append((url_for("portal.home", lang_code=lang, _external=True), None, {}))
    return Response(render_template("content/sitemap.xml", entries=entries), mimetype="application/xml")
