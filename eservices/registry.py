"""The e-service registry: each e-service is one module that declares an :class:`EService`.

A service declares its code, its texts per language (a TOML file beside the
module: title, summary, keywords, help), its owning förvaltning, ROSA level,
handling time in working days, its form pages (WTForms), the rules for its
attachments, which answers become the case's title and summary, its
retention class and whether its cases are confidential.  Hooks let a service
route the case to another förvaltning from the answers, check the answers as
a whole, add to check your answers and to a refusal to send, add rows of its
own in the transaction that creates the case, act on the officer's decision,
and add to the officer's case page and to the tracking page.

``eservices/services/__init__.py`` lists the services; ``init_app`` registers
them, and the catalogue page, the start page's common tasks, search and
``portal.links`` read them from here.
"""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.i18n import languages, localized, localized_language


@dataclass(frozen=True)
class Text:
    """A service's texts in one language (``help`` is Markdown)."""

    title: str
    summary: str
    help: str = ""
    keywords: tuple = ()


@dataclass(frozen=True)
class Page:
    """One page of a service's form: ``name`` is its part of the URL.  A page that
    needs more than its fields in a column (a map, a button for the device's
    position) has a template of its own that extends ``eservices/page.html``."""

    name: str
    title: object
    form: type
    template: str = "eservices/page.html"


@dataclass(frozen=True)
class Attachment:
    """What a file field takes: how many files, how large, of which kinds
    (``uploads.KINDS``: ``image``, ``pdf``) and whether one is required."""

    field: str
    kinds: tuple = ("image",)
    max_files: int = 3
    max_bytes: int = 10 * 1024 * 1024
    required: bool = False


@dataclass(frozen=True)
class Retention:
    """How long a closed case is kept, and why (for gallring later)."""

    code: str
    years: int


SHORT = Retention("kort", 2)
STANDARD = Retention("standard", 5)
PERMANENT = Retention("bevaras", 0)


def load_texts(module_file):
    """The texts in the TOML file beside a service's module (``felanmalan.toml``, also
    inside a package of that name): ``[sv]``, ``[en]``, …"""
    module = Path(module_file)
    path = module.parent / f"{module.parent.name}.toml" if module.name == "__init__.py" \
        else module.with_suffix(".toml")
    raw = tomllib.loads(path.read_text("utf-8"))
    return {lang: Text(title=t["title"], summary=t["summary"], help=t.get("help", ""),
                       keywords=tuple(t.get("keywords", ()))) for lang, t in raw.items()}


@dataclass
class EService:
    code: str
    texts: dict
    department: str                     # the owning förvaltning's code
    pages: list
    handling_days: int
    rosa_level: int = 3
    attachments: list = field(default_factory=list)
    retention: Retention = STANDARD
    confidential: bool = False
    topics: list = field(default_factory=list)
    start_label: object = _l("Starta e-tjänsten")

    # --- texts ------------------------------------------------------------------
    def text(self, lang=None):
        return localized(self.texts, lang)

    def text_language(self, lang=None):
        return localized_language(self.texts, lang)

    def page(self, name):
        return next((page for page in self.pages if page.name == name), None)

    def next_page(self, name):
        names = [page.name for page in self.pages]
        index = names.index(name) + 1
        return self.pages[index] if index < len(names) else None

    def attachment(self, field_name):
        return next((a for a in self.attachments if a.field == field_name), None)

    # --- hooks a service may override -------------------------------------------
    def case_title(self, answers):
        """The case's title (staff lists): the service's name unless it says more."""
        return self.text().title

    def case_summary(self, answers):
        return ""

    def department_for(self, answers):
        """The code of the förvaltning that handles a case with these answers."""
        return self.department

    def contact(self, answers):
        """{name, email, phone, notify_by} of the person to tell: the contact page's answers."""
        return answers.get("kontakt", {})

    def location(self, answers):
        """(latitude, longitude, place) of the case, if it has one."""
        return None, None, ""

    def check_answers(self, answers):
        """Problems with the answers as a whole: [(page name, field, message)]."""
        return []

    def check_page(self, page, form, draft):
        """Checks of one page that need the draft too (the files it has just been sent,
        such as a photo's position): put messages at the form's fields, or fill in a
        field from the files; False shows the page again.  Runs after the form's own
        checks and the files, before the page is saved."""
        return True

    def after_submit(self, case, answers):
        """Rows of the service's own, in the transaction that creates the case."""

    def check_extra(self, answers):
        """HTML of the service's own on check your answers, below the answers (a
        booking's price, the dates of a series that cannot be booked); empty by default."""
        return ""

    def refusal_extra(self, refusal, answers):
        """HTML shown with the message when sending was refused (``ActionRefused``
        from ``check`` or ``after_submit``): a booking's nearest free times; empty by default."""
        return ""

    def after_decision(self, case, decision):
        """Changes of the service's own when an officer decides the case, in the
        transaction of the decision (a booking confirmed, or its time freed)."""

    def case_extra(self, case):
        """HTML of the service's own on the officer's case page, after the answers (a
        booking's times and their status); empty by default."""
        return ""

    def tracking_extra(self, case, token):
        """HTML of the service's own on the tracking page (a booking's times and its
        cancel button); empty by default."""
        return ""

    def decision_form(self, case):
        """The form an officer fills in to decide the case (None: the service has no
        decision; the officer solves the case with an outcome instead)."""
        return None


def register(app, service):
    app.extensions.setdefault("eservices", {})[service.code] = service


def services():
    return current_app.extensions.get("eservices", {})


def get(code):
    return services().get(code)


def all_services():
    return sorted(services().values(), key=lambda service: service.text().title)


def offered_languages(service):
    return [lang for lang in service.texts if lang in languages()]
