"""Demo data of the e-services: each service module may have a ``load_demo()``
(fault categories, rooms, an Open311 key …), run by ``portal init --demo``."""
from eservices.services import MODULES


def load_demo_eservices():
    for module in MODULES:
        loader = getattr(module, "load_demo", None)
        if loader is not None:
            loader()
