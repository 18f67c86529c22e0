"""Public pages (citizens) and the agent's article view (routes in ``content/blueprint.py``)."""
import hashlib

from flask import Response, abort, g, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from content import operations, queries
from content.forms import FeedbackCommentForm, FeedbackForm
from portal.clock import utcnow
from portal.i18n import current_language, language, languages, source_language
from portal.links import absolute_url, link_to
from portal.privacy import scrub
from portal.search import SearchRequest
from portal.templating import set_page_subject


def article_alternates(article):
    """The page in every served language: its own address where it is written in the
    language, else its Swedish text under that language's prefix (which says, in the
    reader's language, that the page is not translated yet)."""
    written = {t.lang: t.slug for t in article.translations}
    source_slug = written.get(source_language())
    return {lang: url_for("content.article", slug=written.get(lang, source_slug), lang_code=lang)
            for lang in languages() if lang in written or source_slug}


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
    """The page in the reader's language; where it has no text in that language, the
    Swedish text under the reader's prefix with a notice in their language (the
    Swedish address leads to the page's own address where it has one).

    A browser's copy that is still current is confirmed (304) before the related
    articles are read or anything is rendered.
    """
    lang = current_language()
    page = queries.live_article_page(lang, slug)
    article, translation = page.article, page.translation
    own = article.translation(lang)
    if own is not None and own is not translation:
        return redirect(url_for("content.article", slug=own.slug), 301)
    set_page_subject("article", article.id)
    etag = article_etag(page, lang)
    cacheable = not current_user.is_authenticated
    if cacheable and etag in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{etag}"'})
    g.alternates = article_alternates(article)
    source = article.translation(source_language())
    response = make_response(render_template(
        "content/article.html", article=article, translation=translation,
        revision=article.live_revision, services=eservice_links(article.live_revision.content),
        related=queries.related_live_texts(article, lang),
        outdated=page.outdated,
        source_url=url_for("content.article", slug=source.slug, lang_code=source.lang)))
    if cacheable:
        response.set_etag(etag)
        response.last_modified = article.last_published_at
        response.cache_control.private = True
        response.cache_control.max_age = 60
    if cacheable and request.method == "GET":   # a citizen's full page: staff and 304s do not count
        operations.count_view_later(article.id, lang)   # last: a due write commits, expiring what the page loaded
    return response


def article_etag(page, lang):
    """What the article page shows, as an ETag: the article (its version changes with
    every publication), its related articles, the alerts on it, the topic and
    förvaltning it names, the languages served, the interface catalogue, the
    feedback form's token.  Read with the article and the alerts, nothing more."""
    article = page.article
    alerts = [(alert.id, alert.updated_at) for alert in queries.alerts_for("article", article.id)]
    names = [topic.names for topic in article.topics], article.department.names
    parts = (article.id, article.version, lang, page.translation.lang, page.related_state, alerts, names,
             [language(code) for code in languages()], page.catalog_version, feedback_form_key())
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def feedback_form_key():
    """What the page's feedback form depends on: this browser's CSRF secret, and the hour.

    A copy the browser kept is used again (304) only with a token of this session
    that is well within ``WTF_CSRF_TIME_LIMIT``; so the page is cached privately.
    """
    generate_csrf()
    return f"{session['csrf_token']}:{utcnow():%Y%m%d%H}"


def eservice_links(content):
    """Links to the e-services the article names that some domain offers."""
    links = (link_to("eservice", code) for code in content.eservices)
    return [link for link in links if link is not None]


FEEDBACK_KEY = "page_feedback"


def feedback(slug):
    """"Ja"/"Nej" counts at once; this page then thanks and offers the optional comment.

    The answer a browser gave last is kept in its session: the comment joins that
    answer, and the thanks show on this page after the redirect (the article itself
    may come from the browser's cache, where a flashed message would wait unseen).
    """
    page = queries.live_article_page(current_language(), slug)
    article, translation = page.article, page.translation
    given = given_feedback(article)
    answering = given is None or "helpful" in request.form
    form = FeedbackForm() if answering else FeedbackCommentForm()
    if form.validate_on_submit():
        save_feedback(article, translation.lang, None if answering else given, form)
        return redirect(url_for("content.feedback", slug=slug))
    g.alternates = {t.lang: url_for("content.feedback", slug=t.slug, lang_code=t.lang)
                    for t in article.translations}
    return render_template("content/feedback.html", form=form, article=article, translation=translation,
                           given=given)


def save_feedback(article, lang, given, form):
    """Record the answer, or add the comment to the answer ``given``; remember the answer."""
    if given is None:
        given = operations.record_feedback(article, lang, form.helpful.data == "yes", "")
    else:
        operations.comment_on_feedback(given, scrub(form.comment.data))
    session[FEEDBACK_KEY] = given.id


def given_feedback(article):
    """The answer this browser gave last, if it was about ``article``."""
    feedback_id = session.get(FEEDBACK_KEY)
    feedback = queries.page_feedback(feedback_id) if feedback_id else None
    return feedback if feedback is not None and feedback.article_id == article.id else None


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
