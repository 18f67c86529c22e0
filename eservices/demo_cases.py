"""Demo cases (``portal demo-cases``, run by ``make run``): a contact centre's
ordinary week, so that the queues, the SLA states and the tracking pages have
something to show on a fresh machine.

Every case is made through the same actions a person uses (a citizen's
e-service, an agent's logged contact, an officer's reply), and then moved back
in time with all its moments, so that some are late, some soon late and some
wait for the citizen.  Only a database without cases gets them: the command
is safe to run again.
"""
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from eservices import clocks, registry, sla
from eservices.casework import LOG_CONTACT, OFFICER_ACTIONS, Contact, ContactOutcome
from eservices.models import Case, Channel, NotifyBy
from eservices.operations import SUBMIT, save_page, start_draft
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department


@dataclass
class Report:
    """A felanmälan as a citizen sends it."""

    category: str
    description: str
    address: str
    name: str
    email: str


REPORTS = {
    "late": Report("gatubelysning", "Tre gatlampor i rad är släckta längs gång- och cykelvägen mellan "
                   "Sjövägen och skolan. Det är helt mörkt på morgonen när barnen går dit.",
                   "Gång- och cykelvägen vid Sjövägen 14", "Maria Lindqvist", "maria.lindqvist@example.se"),
    "soon": Report("park", "Kedjan på den ena gungan i lekparken har gått av och hänger ner.",
                   "Lekparken i Ekbacken", "Johan Berg", "johan.berg@example.se"),
    "waiting": Report("nedskrapning", "Någon har dumpat en soffa och flera sopsäckar vid återvinningsstationen.",
                      "Återvinningsstationen vid Storgatan", "Fatima Hassan", "fatima.hassan@example.se"),
    "solved": Report("fordon", "En vit skåpbil utan registreringsskyltar har stått på vändplanen sedan i somras.",
                     "Vändplanen på Björkvägen", "Lars Olsson", "lars.olsson@example.se"),
}

SNOW_CALL = Contact(
    outcome=ContactOutcome.FORWARDED, channel=Channel.PHONE, question_type="eservice:felanmalan", lang="sv",
    text="Ringer om att Lönnvägen inte är plogad och att det är svårt att ta sig fram med rullator.",
    name="Karin Nilsson", phone="070-345 67 89", notify_by=NotifyBy.PAGE,
    handover={"asked": "När Lönnvägen plogas. Det har snöat sedan i går kväll.",
              "answered": "Att huvudgatorna plogas först och att bostadsgator plogas inom ett dygn.",
              "needs": "Besked om när gatan plogas. Hon använder rullator och ska till vårdcentralen i morgon.",
              "reach": "Telefon 070-345 67 89, helst förmiddag."})
HOME_CARE_CALL = Contact(
    outcome=ContactOutcome.SOLVED, channel=Channel.PHONE, question_type="topic:omsorg-och-stod", lang="sv",
    text="Frågade hur man ansöker om hemtjänst till sin pappa. Fick veta hur biståndshandläggarna utreder "
         "behovet och numret till dem.")
TAX_CALL = Contact(
    outcome=ContactOutcome.REFERRED, channel=Channel.PHONE, question_type="topic:omsorg-och-stod", lang="sv",
    text="Frågade om bostadstillägg för pensionärer.", authority="pensionsmyndigheten")


def load_demo_cases():
    """The demo week's cases; nothing when the database already has cases."""
    if db.session.scalar(select(func.count()).select_from(Case)):
        return 0
    officer, agent = _user("officer"), _user("agent")
    _age_until(_report(REPORTS["late"]), lambda case: case.solution_due_at <= utcnow())
    soon = _report(REPORTS["soon"])
    OFFICER_ACTIONS["take"].execute(soon, officer)
    OFFICER_ACTIONS["reply"].execute(soon, officer, text="Tack för att du hörde av dig. Vi har spärrat "
                                     "av gungan och byter kedjan så snart reservdelen har kommit.")
    _age_until(soon, lambda case: clocks.state(case) == sla.WARNING)
    waiting = _report(REPORTS["waiting"])
    OFFICER_ACTIONS["request_information"].execute(waiting, officer, text="Tack! Vid vilken av containrarna "
                                                   "står soffan? Det finns två stationer på Storgatan.")
    solved = _report(REPORTS["solved"])
    OFFICER_ACTIONS["take"].execute(solved, officer)
    OFFICER_ACTIONS["solve"].execute(solved, officer, text="Fordonet är bortforslat. Tack för tipset!")
    _age(solved, timedelta(days=2))
    snow = LOG_CONTACT.execute(None, agent, contact=replace(SNOW_CALL, department=_department("TF")))
    _age_until(snow, lambda case: case.response_due_at <= utcnow())   # not acknowledged: flagged
    LOG_CONTACT.execute(None, agent, contact=HOME_CARE_CALL)
    LOG_CONTACT.execute(None, agent, contact=TAX_CALL)
    return db.session.scalar(select(func.count()).select_from(Case))


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def _department(code):
    return db.session.scalar(select(Department).where(Department.code == code))


def _report(report):
    """A felanmälan sent through the service's own pages and its submit action."""
    service = registry.get("felanmalan")
    draft, _token = start_draft(service, "sv")
    answers = {"fel": {"category": report.category, "description": report.description},
               "plats": {"address": report.address},
               "kontakt": {"name": report.name, "email": report.email, "notify_by": NotifyBy.EMAIL.value}}
    for page in service.pages:
        form = page.form(formdata=MultiDict(answers[page.name]), meta={"csrf": False})
        if not form.validate():
            raise ValueError(f"demo answers refused on {page.name}: {form.errors}")
        save_page(draft, page, form)
    case, _token = SUBMIT.execute(draft, None, service=service)
    return case


def _age_until(case, wanted):
    """Move the case back a day at a time until ``wanted(case)`` (a day holds fewer
    working hours than the warning's quarter of a handling time, so no state is skipped)."""
    for _day in range(60):
        if wanted(case):
            return
        _age(case, timedelta(days=1))
    raise RuntimeError(f"the demo case {case.reference} never got where it should")


def _age(case, shift):
    """Move the case and everything that happened in it ``shift`` back in time, and its
    SLA clocks with it."""
    for owner, columns in ((case, ("created_at", "updated_at", "clock_started_at", "first_response_at",
                                   "closed_at")),
                           *((line, ("created_at",)) for line in case.events),
                           *((pause, ("started_at", "ended_at")) for pause in case.pauses)):
        for column in columns:
            moment = getattr(owner, column, None)
            if moment is not None:
                setattr(owner, column, moment - shift)
    clocks.recompute(case)
    db.session.commit()
