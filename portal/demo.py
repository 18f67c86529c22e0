"""Demo organisation and accounts for Sjöbacka kommun (``portal init --demo``).

Each domain adds its own demo data with :func:`register_demo_loader`; the
loaders run in the order the domains were enabled, the organisation first.
"""
from flask import current_app
from sqlalchemy import select

from portal.auth.models import ADMIN, AGENT, EDITOR, MANAGER, OFFICER, TRANSLATOR, User
from portal.auth.operations import create_user
from portal.extensions import db
from portal.org.models import Department, Topic

DEPARTMENTS = [
    ("KLF", "Kommunledningsförvaltningen", "Municipal Executive Office", "kontaktcenter@sjobacka.example"),
    ("SBF", "Samhällsbyggnadsförvaltningen", "Community Planning and Building", "samhallsbyggnad@sjobacka.example"),
    ("TF", "Tekniska förvaltningen", "Technical Services", "tekniska@sjobacka.example"),
    ("BUF", "Barn- och utbildningsförvaltningen", "Children and Education", "barnochutbildning@sjobacka.example"),
    ("SOF", "Socialförvaltningen", "Social Services", "socialtjansten@sjobacka.example"),
    ("KFF", "Kultur- och fritidsförvaltningen", "Culture and Leisure", "kulturochfritid@sjobacka.example"),
    ("MHF", "Miljö- och hälsoskyddsförvaltningen", "Environment and Health Protection", "miljo@sjobacka.example"),
    ("GVF", "Gymnasie- och vuxenutbildningsförvaltningen", "Upper Secondary and Adult Education", "vuxenutbildning@sjobacka.example"),
    ("AMF", "Arbetsmarknadsförvaltningen", "Employment Services", "arbetsmarknad@sjobacka.example"),
]

TOPICS = [
    ("flytta-hit", "Flytta hit", "Moving here",
     "Allt du behöver veta när du flyttar till Sjöbacka: skola, avfall, vatten och parkering.",
     "What you need to know when you move to Sjöbacka: schools, waste, water and parking."),
    ("bygga-och-bo", "Bygga och bo", "Housing and building",
     "Bygglov, tomter, bostadsanpassning och det som rör ditt hus.",
     "Building permits, plots, housing adaptation and everything about your home."),
    ("trafik-och-parkering", "Trafik och parkering", "Traffic and parking",
     "Parkering, gator, snöröjning och att ta sig fram i kommunen.",
     "Parking, streets, snow clearing and getting around."),
    ("forskola-och-skola", "Förskola och skola", "Preschool and school",
     "Förskola, grundskola, fritidshem, gymnasium och vuxenutbildning.",
     "Preschool, compulsory school, after-school care, upper secondary and adult education."),
    ("omsorg-och-stod", "Omsorg och stöd", "Care and support",
     "Hemtjänst, äldreomsorg, färdtjänst, ekonomiskt bistånd och stöd i svåra situationer.",
     "Home help, elderly care, transport service, financial assistance and support."),
    ("uppleva-och-gora", "Uppleva och göra", "Things to do",
     "Bibliotek, bad, idrott, kultur, föreningar och lokaler att boka.",
     "Libraries, swimming, sports, culture, associations and rooms to book."),
    ("avfall-vatten-och-miljo", "Avfall, vatten och miljö", "Waste, water and environment",
     "Sophämtning, återvinning, vatten och avlopp, miljö och hälsa.",
     "Waste collection, recycling, water and sewage, environment and health."),
    ("arbete-och-foretag", "Arbete och företagande", "Work and business",
     "Lediga jobb, feriearbete, stöd till arbete och tillstånd för företag.",
     "Jobs, summer jobs for young people, employment support and permits for businesses."),
    ("kommun-och-politik", "Kommun och politik", "Municipality and politics",
     "Så styrs kommunen, allmänna handlingar, synpunkter och kontakt med oss.",
     "How the municipality is governed, public records, feedback and contacting us."),
]

DEMO_PASSWORD = "kontaktcenter-demo"

# (username, display name, grants as (role, department code, language))
DEMO_USERS = [
    ("admin", "Alva Administratör", [(ADMIN, None, None)]),
    ("agent", "Kim Kommunvägledare", [(AGENT, None, None)]),
    ("officer", "Hugo Handläggare (Tekniska förvaltningen)", [(OFFICER, "TF", None)]),
    ("editor", "Ronja Redaktör (Tekniska förvaltningen)", [(EDITOR, "TF", None)]),
    ("translator", "Tove Translator (English)", [(TRANSLATOR, None, "en")]),
    ("translator_fi", "Fanni Kääntäjä (suomi)", [(TRANSLATOR, None, "fi")]),
    ("translator_fi2", "Veikko Kääntäjä (suomi)", [(TRANSLATOR, None, "fi")]),
    ("translator_ar", "Amal Översättare (العربية)", [(TRANSLATOR, None, "ar")]),
    ("manager", "Maja Kontaktcenterchef", [(MANAGER, None, None)]),
]


def register_demo_loader(app, loader):
    """Domains add ``loader()`` functions that ``portal init --demo`` runs in order."""
    app.extensions.setdefault("portal.demo_loaders", []).append(loader)


def register_demo_note(app, note):
    """Domains add ``note()``, a line that ``portal init --demo`` prints after the demo
    accounts: a published demo credential of theirs, such as an API key."""
    app.extensions.setdefault("portal.demo_notes", []).append(note)


def demo_notes():
    return [note() for note in current_app.extensions.get("portal.demo_notes", [])]


def load_demo():
    for loader in current_app.extensions.get("portal.demo_loaders", []):
        loader()
    db.session.commit()


def load_demo_organisation():
    """Create the demo departments, topics and accounts that do not exist yet."""
    for code, name_sv, name_en, email in DEPARTMENTS:
        if not db.session.scalar(select(Department).where(Department.code == code)):
            db.session.add(Department(code=code, names={"sv": name_sv, "en": name_en},
                                      contact_email=email))
    for position, (slug, name_sv, name_en, desc_sv, desc_en) in enumerate(TOPICS):
        if not db.session.scalar(select(Topic).where(Topic.slug == slug)):
            db.session.add(Topic(slug=slug, position=position, names={"sv": name_sv, "en": name_en},
                                 descriptions={"sv": desc_sv, "en": desc_en}))
    db.session.flush()
    departments = {d.code: d.id for d in db.session.scalars(select(Department))}
    for username, name, grants in DEMO_USERS:
        if not db.session.scalar(select(User).where(User.username == username)):
            create_user(username, name, DEMO_PASSWORD,
                        [(role, departments.get(dept), lang) for role, dept, lang in grants],
                        email=f"{username}@sjobacka.example")
    db.session.flush()
