"""The e-services, one module each.  To add one, write a module with an
``EService`` named ``SERVICE`` (and a TOML file of its texts beside it) and
list it here; see ``bli_uppringd.py`` for the smallest."""
from eservices.services import bli_uppringd, felanmalan, lokalbokning, parkeringstillstand

MODULES = (parkeringstillstand, felanmalan, lokalbokning, bli_uppringd)
