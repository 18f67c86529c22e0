"""The fault categories and the municipality's bounds as felanmälan offers them
(``eservices/services/felanmalan``): Open311's services are its active categories,
a request's service_code is a category's code, and a position outside
``PORTAL_MUNICIPALITY_BOUNDS`` is refused as it is on the web form."""
from eservices.services.felanmalan import active_categories, category, within_bounds

__all__ = ["active_categories", "category", "within_bounds"]
