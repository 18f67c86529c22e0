"""The knowledge base: articles, topics pages, workflow, revisions, alerts, feedback."""


def init_app(app):
    """Nothing yet: the knowledge base plugs in here."""
