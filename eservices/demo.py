"""Demo data of the e-services: each service module may have a ``load_demo()``
(fault categories, rooms, an Open311 key …), run by ``portal init --demo``; and the
employees of the demo förvaltningar, which the statistics' cost-allocation key shares
a budget by."""
from sqlalchemy import select

from eservices.services import MODULES
from portal.extensions import db
from portal.org.models import Department

# Employees per förvaltning in a municipality of some 45 000 inhabitants (about 3 400 in
# all, most of them in schools and care).
DEMO_EMPLOYEES = {"KLF": 120, "SBF": 95, "TF": 210, "BUF": 1450, "SOF": 1100, "KFF": 85, "MHF": 40,
                  "GVF": 260, "AMF": 70}


def load_demo_eservices():
    for module in MODULES:
        loader = getattr(module, "load_demo", None)
        if loader is not None:
            loader()
    load_demo_employees()


def load_demo_employees():
    """The counts of the demo förvaltningar that have none yet."""
    for department in db.session.scalars(select(Department).where(Department.code.in_(DEMO_EMPLOYEES),
                                                                   Department.employees.is_(None))):
        department.employees = DEMO_EMPLOYEES[department.code]
