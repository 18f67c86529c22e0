"""E-services and cases (ärenden)."""


def init_app(app):
    """Nothing yet: the e-service registry plugs in here."""
