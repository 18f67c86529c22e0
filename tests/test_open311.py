"""Open311 GeoReport v2 at /open311/v2/: every resource in XML and JSON, a posted
request becoming the same felanmälan case as a web one, every refusal in the
spec's ``errors`` shape, no personal data in what anyone can read, the rate
limits and the admins' key pages."""
import os
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from eservices.casework import OFFICER_ACTIONS
from eservices.models import Case, CaseStatus, Channel, NotifyBy
from eservices.open311 import queries
from eservices.open311.demo import DEMO_API_KEY
from eservices.open311.models import ApiKey, Open311Request, key_digest
from eservices.services.felanmalan.models import FaultCategory
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db
from portal.mail.models import MailOutbox
from portal.org.models import Department
from tests.conftest import CSRF_RE, make_app, post_form

API = "/open311/v2"
FORMATS = ("xml", "json")
INSIDE = {"lat": "56.6634", "long": "16.3568"}       # Kalmar's centre: inside the default bounds
REPORT = {"api_key": DEMO_API_KEY, "service_code": "gatubelysning", **INSIDE,
          "description": "Lampan vid busshållplatsen lyser inte.", "first_name": "Anna",
          "last_name": "Andersson", "email": "anna.andersson@example.se", "phone": "070-123 45 67"}
PERSONAL = ("Anna", "Andersson", "anna.andersson@example.se", "070-123 45 67", "0701234567")


# --- helpers ------------------------------------------------------------------------------
def records(response, fmt):
    """The list a response holds (services, requests, errors) as dicts of text or values."""
    if fmt == "json":
        assert response.content_type == "application/json; charset=utf-8"
        return response.json
    assert response.content_type == "text/xml; charset=utf-8"
    assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return [{child.tag: child.text for child in item} for item in ET.fromstring(response.data)]


def xml_root(response):
    assert response.content_type == "text/xml; charset=utf-8"
    return ET.fromstring(response.data)


def errors(response, fmt):
    """[(code, description)] of a refusal, which must be the spec's errors/error."""
    if fmt == "xml":
        root = xml_root(response)
        assert root.tag == "errors" and all(error.tag == "error" for error in root)
    found = [(int(error["code"]), error["description"]) for error in records(response, fmt)]
    assert found and all(code == response.status_code for code, _d in found)
    return found


def post(client, fmt="json", **changes):
    data = {name: value for name, value in {**REPORT, **changes}.items() if value is not None}
    return client.post(f"{API}/requests.{fmt}", data=data)


def posted_reference(client, fmt="json", **changes):
    response = post(client, fmt, **changes)
    assert response.status_code == 200, response.get_data(as_text=True)
    return records(response, fmt)[0]["service_request_id"]


def case_by_reference(reference):
    return db.session.scalar(select(Case).where(Case.reference == reference))


def department(code):
    return db.session.scalar(select(Department).where(Department.code == code))


@pytest.fixture(autouse=True)
def categories(app):
    """Saved fault categories, unless the demo already has some: one inactive."""
    with app.app_context():
        demo = db.session.scalar(select(FaultCategory).where(FaultCategory.code == "fordon"))
        if demo is not None:
            demo.active = False
            db.session.commit()
        if db.session.scalar(select(FaultCategory.id).limit(1)) is None:
            tf = department("TF")
            db.session.add_all([
                FaultCategory(code="gatubelysning", names={"sv": "Gatubelysning", "en": "Street lighting"},
                              descriptions={"sv": "Gatlampor som är släckta eller trasiga."},
                              keywords=["gatlampa", "lyktstolpe"], group="Gator och vägar",
                              department_id=tf.id, position=1),
                FaultCategory(code="klotter", names={"sv": "Klotter", "en": "Graffiti"}, group="Stadsmiljö",
                              department_id=tf.id, position=2),
                FaultCategory(code="fordon", names={"sv": "Övergivet fordon"}, department_id=tf.id,
                              position=3, active=False)])
            db.session.commit()


@pytest.fixture
def new_key(app):
    """A fresh active key's value."""
    def make(name="Testklient"):
        with app.app_context():
            value = f"o311_test_{name}"
            db.session.add(ApiKey(name=name, digest=key_digest(value)))
            db.session.commit()
        return value
    return make


# --- discovery and services ---------------------------------------------------------------
def test_discovery_names_the_endpoint_from_the_public_address(client):
    root = xml_root(client.get(f"{API}/discovery.xml"))
    assert root.tag == "discovery" and root.findtext("changeset") and root.findtext("key_service")
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://127.0.0.1:5000/open311/v2"   # not the Host header (localhost)
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    body = client.get(f"{API}/discovery.json").json
    assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert "0480-45 00 00" in body["contact"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_active_fault_categories(client, ctx, fmt):
    listed = records(client.get(f"{API}/services.{fmt}"), fmt)
    with ctx():
        active = db.session.scalars(select(FaultCategory).where(FaultCategory.active.is_(True))
                                    .order_by(FaultCategory.position)).all()
        expected = [(c.code, c.name_in("sv"), c.group, ", ".join(c.keywords)) for c in active]
        inactive = db.session.scalars(select(FaultCategory.code).where(FaultCategory.active.is_(False))).all()
    assert [(s["service_code"], s["service_name"], s["group"] or "", s["keywords"] or "")
            for s in listed] == expected
    assert not set(inactive) & {s["service_code"] for s in listed}
    assert {str(s["metadata"]).lower() for s in listed} == {"true"} and {s["type"] for s in listed} == {"realtime"}


def test_service_names_follow_accept_language(client):
    listed = client.get(f"{API}/services.json", headers={"Accept-Language": "en"})
    assert listed.headers["Content-Language"] == "en"
    assert "Street lighting" in [s["service_name"] for s in listed.json]


def test_a_service_definition_lists_the_form_questions_that_open311_does_not_cover(client):
    definition = client.get(f"{API}/services/gatubelysning.json").json
    assert definition["service_code"] == "gatubelysning"
    [notify] = definition["attributes"]
    assert notify["code"] == "notify_by" and notify["datatype"] == "singlevaluelist"
    assert notify["variable"] is True and notify["required"] is False and notify["order"] == 1
    assert [value["key"] for value in notify["values"]] == ["email", "sms", "page"]
    root = xml_root(client.get(f"{API}/services/gatubelysning.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("code") == "notify_by" and attribute.findtext("required") == "false"
    assert [v.findtext("key") for v in attribute.findall("values/value")] == ["email", "sms", "page"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", ["finns-inte", "fordon"])   # unknown, inactive
def test_an_unknown_service_is_404(client, fmt, code):
    response = client.get(f"{API}/services/{code}.{fmt}")
    assert response.status_code == 404
    assert code in errors(response, fmt)[0][1]


@pytest.mark.parametrize("url", ["/services.csv", "/services.html", "/discovery", "/requests.yaml",
                                 "/services/gatubelysning.txt"])
def test_an_unknown_format_is_404(client, url):
    assert client.get(API + url).status_code == 404


# --- POST requests ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posted_request_becomes_a_felanmalan_case(client, ctx, fmt):
    response = post(client, fmt, media_url="https://bilder.example.org/lampa.jpg")
    assert response.status_code == 200
    [answer] = records(response, fmt)
    reference = answer["service_request_id"]
    assert re.fullmatch(r"SJB-\d{4}-\d{6}", reference) and "0480-45 00 00" in answer["service_notice"]
    with ctx():
        case = case_by_reference(reference)
        category = db.session.scalar(select(FaultCategory).where(FaultCategory.code == "gatubelysning"))
        assert case.service_code == "felanmalan" and case.channel == Channel.OPEN311
        assert case.department_id == category.department_id and case.due_on
        assert (case.latitude, case.longitude) == (56.6634, 16.3568)
        assert case.answers["fel"] == {"category": "gatubelysning", "description": REPORT["description"]}
        assert case.answers["kontakt"] == {"name": "Anna Andersson", "email": "anna.andersson@example.se",
                                           "phone": "070-123 45 67", "notify_by": "email"}
        assert case.contact_email == "anna.andersson@example.se" and case.notify_by == NotifyBy.EMAIL
        mail = db.session.scalars(select(MailOutbox).where(MailOutbox.recipient == case.contact_email)).one()
        assert reference in mail.subject
        origin = db.session.scalar(select(Open311Request).where(Open311Request.case_id == case.id))
        assert origin.media_url == "https://bilder.example.org/lampa.jpg"
        assert origin.api_key.digest == key_digest(DEMO_API_KEY) and origin.api_key.last_used_at
        internal = [e.text for e in case.events if not e.public]
        assert any("Open311" in text and "lampa.jpg" in text for text in internal)
        assert [e.kind for e in case.events if e.public] == ["received"]


def test_a_request_keeps_the_shape_of_the_web_forms_answers(client, ctx):
    """What the web form saves is what Open311 saves: each page's raw input and values."""
    reference = posted_reference(client, email=None, phone=None, first_name=None, last_name=None,
                                 description=None, address_string="Storgatan 12")
    with ctx():
        case = case_by_reference(reference)
        draft_answers = case.answers
        assert draft_answers["plats"] == {"address": "Storgatan 12", "latitude": 56.6634, "longitude": 16.3568}
        assert draft_answers["kontakt"] == {"name": "", "email": "", "phone": "", "notify_by": "page"}
        assert case.notify_by == NotifyBy.PAGE and case.place == "Storgatan 12"
        assert db.session.scalar(select(func.count()).select_from(MailOutbox)) == 0


def test_an_address_alone_is_a_location(client, ctx):
    reference = posted_reference(client, lat=None, long=None, address_string="Norrparkens lekplats")
    with ctx():
        case = case_by_reference(reference)
        assert case.place == "Norrparkens lekplats" and case.latitude is None


def test_attributes_are_answers_to_the_forms_questions(client, ctx):
    reference = posted_reference(client, **{"attribute[notify_by]": "sms"})
    with ctx():
        case = case_by_reference(reference)
        assert case.notify_by == NotifyBy.SMS and case.answers["kontakt"]["notify_by"] == "sms"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("changes, status, message", [
    ({"api_key": None}, 403, "api_key saknas"),
    ({"api_key": "o311_gissad"}, 403, "api_key är ogiltig eller återkallad"),
    ({"service_code": None}, 400, "service_code: Saknas"),
    ({"service_code": "finns-inte"}, 400, "service_code: Det finns ingen tjänst med koden ”finns-inte”"),
    ({"service_code": "fordon"}, 400, "Det finns ingen tjänst med koden ”fordon”"),
    ({"lat": None, "long": None}, 400, "Platsen saknas: ange lat och long, eller address_string."),
    ({"long": None}, 400, "Ange både lat och long"),
    ({"lat": "59.3293", "long": "18.0686"}, 400, "Platsen ligger utanför kommunen"),   # Stockholm
    ({"lat": "91", "long": "16.3"}, 400, "lat: Ska ligga mellan -90 och 90."),
    ({"description": "x" * 4001}, 400, "description: Högst 4000 tecken."),
    ({"media_url": "file:///etc/passwd"}, 400, "media_url: Ska vara en adress"),
    ({"email": "inte-en-adress"}, 400, "email: Skriv en e-postadress"),
    ({"attribute[notify_by]": "brevduva"}, 400, "attribute[notify_by]:"),
    ({"attribute[notify_by]": "sms", "phone": None}, 400, "Skriv ditt mobilnummer"),
])
def test_a_refused_request_says_why(client, ctx, fmt, changes, status, message):
    response = post(client, fmt, **changes)
    assert response.status_code == status
    assert any(message in description for _code, description in errors(response, fmt)), errors(response, fmt)
    with ctx():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_description_of_exactly_4000_characters_is_taken(client):
    assert post(client, description="å" * 4000).status_code == 200


def test_a_revoked_key_is_refused(client, ctx, new_key):
    value = new_key()
    assert post(client, api_key=value).status_code == 200
    with ctx():
        key = db.session.scalar(select(ApiKey).where(ApiKey.digest == key_digest(value)))
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        from eservices.open311.operations import REVOKE_KEY
        REVOKE_KEY.execute(key, admin)
    response = post(client, "xml", api_key=value)
    assert response.status_code == 403 and "återkallad" in errors(response, "xml")[0][1]


def test_refusals_follow_accept_language(client):
    response = client.post(f"{API}/requests.json", data={"service_code": "gatubelysning"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 403 and "api_key" in response.json[0]["description"]
    assert "saknas" not in response.json[0]["description"]


def test_a_body_above_the_form_limit_is_refused_in_the_api_format(client):
    response = post(client, "xml", description="x" * (70 * 1024))
    assert response.status_code == 413 and errors(response, "xml")[0][0] == 413


# --- GET requests ---------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_reads_as_the_spec_says(client, ctx, fmt):
    reference = posted_reference(client, media_url="https://bilder.example.org/lampa.jpg",
                                 address_string="Storgatan 12")
    [found] = records(client.get(f"{API}/requests/{reference}.{fmt}"), fmt)
    with ctx():
        case = case_by_reference(reference)
        due = case.due_on.isoformat()
    assert found["service_request_id"] == reference and found["status"] == "open"
    assert found["service_code"] == "gatubelysning" and found["service_name"] == "Gatubelysning"
    assert found["agency_responsible"] == "Tekniska förvaltningen"
    assert found["description"] == REPORT["description"] and found["address"] == "Storgatan 12"
    assert float(found["lat"]) == 56.6634 and float(found["long"]) == 16.3568
    assert found["status_notes"] == "Ärendet har tagits emot."
    assert found["media_url"] == "https://bilder.example.org/lampa.jpg"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", found["requested_datetime"])
    assert found["expected_datetime"].startswith(f"{due}T23:59:59+0")


def test_times_carry_the_swedish_offset_of_their_season(client, ctx):
    reference = posted_reference(client)
    with ctx():
        case = case_by_reference(reference)
        case.created_at, case.updated_at = datetime(2026, 1, 15, 9, 30), datetime(2026, 7, 1, 9, 30)
        db.session.commit()
    [found] = client.get(f"{API}/requests/{reference}.json").json
    assert found["requested_datetime"] == "2026-01-15T10:30:00+01:00"
    assert found["updated_datetime"] == "2026-07-01T11:30:00+02:00"


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_personal_is_given_out(client, fmt):
    reference = posted_reference(client, description="Trasig lampa. Ring mig på 070-123 45 67 "
                                                     "eller anna.andersson@example.se")
    for url in (f"{API}/requests.{fmt}", f"{API}/requests/{reference}.{fmt}",
                f"{API}/requests.{fmt}?service_request_id={reference}"):
        text = client.get(url).get_data(as_text=True)
        assert reference in text and "Trasig lampa" in text
        assert not [word for word in PERSONAL if word in text], url
        for name in ("first_name", "last_name", "email", "phone", "account_id", "device_id"):
            assert f'"{name}"' not in text and f"<{name}>" not in text


def test_status_notes_are_the_latest_public_note_and_closed_cases_are_closed(client, ctx):
    reference = posted_reference(client)
    with ctx():
        case = case_by_reference(reference)
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        OFFICER_ACTIONS["reply"].execute(case, officer, text="Lampan byts på tisdag.")
    [found] = client.get(f"{API}/requests/{reference}.json").json
    assert found["status"] == "open" and found["status_notes"] == "Lampan byts på tisdag."
    with ctx():
        case = case_by_reference(reference)
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        OFFICER_ACTIONS["close"].execute(case, officer)
        OFFICER_ACTIONS["note"].execute(case, officer, text="Internt: beställt hos elfirman.")
    [found] = client.get(f"{API}/requests/{reference}.json").json
    assert found["status"] == "closed"
    assert found["status_notes"] == str(CaseStatus.CLOSED.label)   # the status change, not the internal note


def test_the_list_filters_by_service_status_and_ids(client, ctx):
    lamp, graffiti = posted_reference(client), posted_reference(client, service_code="klotter")
    with ctx():
        case = case_by_reference(graffiti)
        case.status = CaseStatus.CLOSED
        db.session.commit()

    def listed(query):
        response = client.get(f"{API}/requests.xml?{query}")
        assert response.status_code == 200
        return [request["service_request_id"] for request in records(response, "xml")]

    assert listed("") == [graffiti, lamp]                    # newest first
    assert listed("service_code=gatubelysning") == [lamp]
    assert listed("service_code=klotter,gatubelysning") == [graffiti, lamp]
    assert listed("status=open") == [lamp] and listed("status=closed") == [graffiti]
    assert listed("status=open,closed") == [graffiti, lamp]
    assert listed("status=&service_code=") == [graffiti, lamp]           # empty counts as absent
    # A list of ids overrides every other filter.
    assert listed(f"service_request_id={lamp},{graffiti}&status=closed") == [graffiti, lamp]


def test_the_default_window_is_the_last_90_days(client, ctx):
    recent, old = posted_reference(client), posted_reference(client)
    with ctx():
        case = case_by_reference(old)
        case.created_at = utcnow() - timedelta(days=91)
        db.session.commit()
        created = case.created_at
    listed = [r["service_request_id"] for r in client.get(f"{API}/requests.json").json]
    assert listed == [recent]
    start = (created - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    around_old = client.get(f"{API}/requests.json?start_date={start}").json
    assert [r["service_request_id"] for r in around_old] == [old]   # 90 days from start_date
    end = (created + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert [r["service_request_id"] for r in client.get(f"{API}/requests.json?end_date={end}").json] == [old]
    unescaped_plus = end.replace("+", " ")           # a "+" that was not escaped arrives as a space
    assert len(client.get(f"{API}/requests.json?end_date={unescaped_plus}").json) == 1


def test_at_most_the_newest_results_are_given(client, monkeypatch):
    references = [posted_reference(client) for _n in range(3)]
    monkeypatch.setattr(queries, "MAX_RESULTS", 2)
    listed = [r["service_request_id"] for r in client.get(f"{API}/requests.json").json]
    assert listed == references[:0:-1]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query, message", [
    ("start_date=igår", "start_date är inte ett datum enligt ISO 8601"),
    ("end_date=2026-13-45", "end_date är inte ett datum"),
    ("start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z", "start_date måste ligga före end_date"),
    ("start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z", "högst 90 dagar"),
    ("status=pending", "status kan vara open eller closed"),
])
def test_bad_filters_are_400(client, fmt, query, message):
    response = client.get(f"{API}/requests.{fmt}?{query}")
    assert response.status_code == 400
    assert any(message in description for _c, description in errors(response, fmt))


def test_a_window_of_exactly_90_days_is_allowed(client):
    query = "start_date=2026-01-01T00:00:00%2B01:00&end_date=2026-04-01T00:00:00%2B01:00"
    assert client.get(f"{API}/requests.json?{query}").status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_public_fault_reports_are_requests(client, ctx, fmt):
    reference = posted_reference(client)
    with ctx():
        klf = department("KLF")
        db.session.add_all([
            Case(reference="SJB-2026-900001", service_code="bli-uppringd", title="Ring mig", lang="sv",
                 department_id=klf.id, tracking_token="t1", answers={}),
            Case(reference="SJB-2026-900002", service_code="felanmalan", title="Sekretess", lang="sv",
                 department_id=klf.id, tracking_token="t2", confidential=True, answers={})])
        db.session.commit()
    listed = [r["service_request_id"] for r in records(client.get(f"{API}/requests.{fmt}"), fmt)]
    assert listed == [reference]
    for hidden in ("SJB-2026-900001", "SJB-2026-900002", "SJB-1999-000000"):
        for resource in ("requests", "tokens"):
            response = client.get(f"{API}/{resource}/{hidden}.{fmt}")
            assert response.status_code == 404 and hidden in errors(response, fmt)[0][1]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_is_the_request_id(client, fmt):
    reference = posted_reference(client)
    [found] = records(client.get(f"{API}/tokens/{reference}.{fmt}"), fmt)
    assert found == {"service_request_id": reference, "token": reference}


def test_a_web_report_is_a_request_too(client):
    from tests.test_eservices import step, submit

    step(client, "felanmalan", "fel", {"category": "klotter", "description": "Klotter på skolan."})
    step(client, "felanmalan", "plats", {"address": "Skolgatan 3", "latitude": "", "longitude": ""})
    step(client, "felanmalan", "kontakt", {"name": "Bo Berg", "email": "", "phone": "", "notify_by": "page"})
    assert submit(client, "felanmalan").status_code == 302
    [found] = client.get(f"{API}/requests.json").json
    assert found["service_code"] == "klotter" and found["address"] == "Skolgatan 3"
    assert found["media_url"] is None and "Bo Berg" not in str(found)


def test_xml_escapes_what_citizens_type(client):
    reference = posted_reference(client, description="<b>Trasig</b> & \x07farlig ]]> lampa")
    root = xml_root(client.get(f"{API}/requests/{reference}.xml"))
    assert root.findtext("request/description") == "<b>Trasig</b> & farlig ]]> lampa"


# --- rate limits --------------------------------------------------------------------------------
@pytest.mark.parametrize("app_config", [{"PORTAL_RATELIMIT_ENABLED": True,
                                         "PORTAL_RATELIMIT_OPEN311": "3 per minute",
                                         "PORTAL_RATELIMIT_PUBLIC_FORMS": "2 per minute"}])
def test_posts_are_limited_per_key_and_keyless_posts_per_address(client, new_key):
    other = new_key("Annan klient")
    assert [post(client).status_code for _n in range(4)] == [200, 200, 200, 429]
    refused = post(client, "xml")
    assert errors(refused, "xml")[0][0] == 429 and refused.headers.get("Retry-After")
    assert post(client, api_key=other).status_code == 200            # another key has its own count
    assert [post(client, api_key=None).status_code for _n in range(3)] == [403, 403, 429]
    assert post(client, api_key=other).status_code == 200            # the address's count is not the key's


# --- the admins' key pages -----------------------------------------------------------------------
def test_only_admins_see_the_key_pages(app, client, login_as):
    assert client.get("/sv/admin/open311-nycklar").status_code == 302     # to the login page
    officer = login_as("officer")
    assert officer.get("/sv/admin/open311-nycklar").status_code == 403
    assert officer.get("/en/admin/open311-keys/new").status_code == 403
    admin = app.test_client()
    post_form(admin, "/sv/logga-in", {"username": "admin", "password": "kontaktcenter-demo"})
    page = admin.get("/sv/admin/open311-nycklar").get_data(as_text=True)
    assert "Demoklient" in page and DEMO_API_KEY not in page


def test_a_new_key_is_shown_once_and_only_its_digest_is_kept(client, ctx, login_as):
    admin = login_as("admin")
    assert "Open311-nycklar" in admin.get("/sv/").get_data(as_text=True)       # in the staff menu
    refused = post_form(admin, "/sv/admin/open311-nycklar/ny", {"name": ""})
    assert refused.status_code == 400 and "Skriv vem eller vilken tjänst" in refused.get_data(as_text=True)
    created = post_form(admin, "/sv/admin/open311-nycklar/ny", {"name": "Felanmälningsappen"})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    value = re.search(r'id="api-key" type="text" value="(o311_[^"]+)"', created.get_data(as_text=True)).group(1)
    with ctx():
        key = db.session.scalar(select(ApiKey).where(ApiKey.name == "Felanmälningsappen"))
        assert key.digest == key_digest(value) and key.active and key.last_used_at is None
        key_id = key.id
    listing = admin.get("/sv/admin/open311-nycklar").get_data(as_text=True)
    assert "Felanmälningsappen" in listing and value not in listing and "Aldrig" in listing
    assert post(client, api_key=value).status_code == 200
    with ctx():
        assert db.session.get(ApiKey, key_id).last_used_at is not None

    page = admin.get("/sv/admin/open311-nycklar").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    revoked = admin.post(f"/sv/admin/open311-nycklar/{key_id}/aterkalla", data={"csrf_token": token})
    assert revoked.status_code == 302
    assert "är återkallad" in admin.get("/sv/admin/open311-nycklar").get_data(as_text=True)
    assert post(client, api_key=value).status_code == 403
    again = admin.post(f"/sv/admin/open311-nycklar/{key_id}/aterkalla", data={"csrf_token": token})
    assert "redan återkallad" in admin.get(again.location).get_data(as_text=True)


# --- the demo ---------------------------------------------------------------------------------------
def test_portal_init_demo_prints_the_demo_key(runner, ctx):
    result = runner.invoke(args=["init", "--demo"])
    assert result.exit_code == 0 and f"Open311 demo API key: {DEMO_API_KEY}" in result.output
    with ctx():
        assert db.session.scalar(select(func.count()).select_from(ApiKey).where(
            ApiKey.digest == key_digest(DEMO_API_KEY))) == 1      # once, however often init runs


# --- PostgreSQL ----------------------------------------------------------------------------------
PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="PORTAL_TEST_DATABASE_URL is not set")
def test_the_api_on_postgresql(tmp_path, postgres_url):
    """The migration, and the filter on the category inside the answers (a JSON path)."""
    pg_app = make_app(tmp_path / "pg", SQLALCHEMY_DATABASE_URI=postgres_url)
    with pg_app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    assert pg_app.test_cli_runner().invoke(args=["init", "--demo"]).exit_code == 0
    client = pg_app.test_client()
    lamp, graffiti = posted_reference(client), posted_reference(client, service_code="klotter")
    listed = client.get(f"{API}/requests.json?service_code=klotter&status=open").json
    assert [r["service_request_id"] for r in listed] == [graffiti]
    assert records(client.get(f"{API}/requests/{lamp}.xml"), "xml")[0]["service_code"] == "gatubelysning"
    with pg_app.app_context():
        db.engine.dispose()
