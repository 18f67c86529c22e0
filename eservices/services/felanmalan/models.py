"""Fault categories: what a citizen can report, which förvaltning mends it, and
its Open311 service code.  Admins keep them (``/sv/admin/felkategorier``)."""
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.i18n import localized
from portal.org.models import Department


class FaultCategory(db.Model):
    __tablename__ = "fault_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)      # also the Open311 service_code
    names: Mapped[dict] = mapped_column(JSON, default=dict)          # by language
    descriptions: Mapped[dict] = mapped_column(JSON, default=dict)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    group: Mapped[str] = mapped_column(String(80), default="")       # Open311 group
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    department: Mapped[Department] = relationship(lazy="joined")

    def name_in(self, lang=None):
        return localized(self.names, lang)

    def description_in(self, lang=None):
        return localized(self.descriptions, lang)
