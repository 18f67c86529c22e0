"""Public pages (citizens) and the agent's article view (routes in ``content/blueprint.py``)."""
import hashlib

from flask import Response, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from content import operations, queries
from content.forms import FeedbackForm
from portal.clock import utcnow
from portal.i18n import current_language, languages
from portal.links import absolute_url, link_to
from portal.privacy import scrub
from portal.search import SearchRequest
from portal.templating import set_page_subject


def article_alternates(article):
    return {t.lang: url_for("content.article", slug=t.slug, lang_code=t.lang)
            for t in article.translations}


def topic(slug):
    """A topic's live articles.  Under another language's prefix the Swedish address
    redirects to that language's own: it was the address of every language once."""
    lang = current_language()
    topic = queries.topic_by_slug(slug, lang)
    if slug != topic.slug_in(lang):
        return redirect(url_for("content.topic", slug=topic.slug_in(lang)), 301)
    g.alternates = {other: url_for("content.topic", slug=topic.slug_in(other), lang_code=other)
                    for other in languages()}
    entries = sorted(((a, a.translation_or_source(lang)) for a in queries.live_articles(topic=topic)),
                     key=lambda pair: pair[1].title)
    return render_template("content/topic.html", topic=topic, entries=entries)


def article(slug):
    article, translation = queries.live_article_by_slug(current_language(), slug)
    set_page_subject("article", article.id)
    alerts = queries.alerts_for("article", article.id)
    etag = hashlib.sha1(f"{article.live_revision_id}:{translation.lang}:{[a.id for a in alerts]}"
                        .encode()).hexdigest()
    cacheable = not current_user.is_authenticated
    if cacheable and etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    g.alternates = article_alternates(article)
    response = make_response(render_template(
        "content/article.html", article=article, translation=translation,
        revision=article.live_revision, services=eservice_links(article.live_revision.content)))
    if cacheable:
        response.set_etag(etag)
        response.last_modified = article.last_published_at
        response.cache_control.public = True
        response.cache_control.max_age = 60
    return response


def eservice_links(content):
    """Links to the e-services the article names that some domain offers."""
    links = (link_to("eservice", code) for code in content.eservices)
    return [link for link in links if link is not None]


def feedback(slug):
    article, translation = queries.live_article_by_slug(current_language(), slug)
    form = FeedbackForm(helpful=request.args.get("svar") if request.method == "GET" else None)
    if form.validate_on_submit():
        operations.record_feedback(article, translation.lang, form.helpful.data == "yes",
                                   scrub(form.comment.data or ""))
        flash(_("Tack för ditt svar! Det hjälper oss att förbättra sidan."), "success")
        return redirect(url_for("content.article", slug=slug))
    g.alternates = {t.lang: url_for("content.feedback", slug=t.slug, lang_code=t.lang)
                    for t in article.translations}
    return render_template("content/feedback.html", form=form, article=article, translation=translation)


@login_required
def agent_article(article_id):
    """The article as agents see it during a call: public text plus the agent layer.

    Editors of the article's förvaltning see it too (also before it is live),
    to check what agents will read.  ``q`` is the search the agent came from
    (search.follow passes it on): the page leads back to its results.
    """
    article = queries.article_or_404(article_id, "can_view_agent_layer")
    if not article.is_live() and not article.can_edit(current_user):
        abort(404)
    set_page_subject("article", article.id)
    lang = current_language()
    revision = article.live_revision or article.latest_revision
    return render_template("content/agent_article.html", article=article, revision=revision,
                           text=revision.content.text(lang),
                           text_lang=revision.content.text_language(lang),
                           q=SearchRequest(q=request.args.get("q", "")).q)


def alerts():
    return render_template("content/alerts.html", alerts=queries.active_alerts())


def alerts_feed():
    current = queries.active_alerts()
    updated = max((a.updated_at for a in current), default=utcnow())
    xml = render_template("content/alerts.atom.xml", alerts=current, updated=updated)
    return Response(xml, mimetype="application/atom+xml")


def sitemap():
    entries = []
    for article in queries.live_articles():
        alternates = {t.lang: absolute_url(url_for("content.article", slug=t.slug, lang_code=t.lang))
                      for t in article.translations}
        for url in alternates.values():
            entries.append((url, article.last_published_at, alternates))
    for lang in languages():
        entries.append((absolute_url(url_for("portal.home", lang_code=lang)), None, {}))
    return Response(render_template("content/sitemap.xml", entries=entries), mimetype="application/xml")
