"""Felanmälan: categories from the database and their routing, the place (bounds,
a photo's position), reports nearby, the public list without personal data,
the admins' category pages, the optional map and its Content-Security-Policy,
and bad photos that leave nothing behind."""
import dataclasses
import io
import os
import re
from datetime import timedelta
from math import cos, radians
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from eservices import operations, uploads
from eservices.models import Case, CaseFile, CaseStatus, DraftFile, FormDraft
from eservices.services import felanmalan
from eservices.services.felanmalan import geo
from eservices.services.felanmalan.models import FaultCategory
from portal.clock import utcnow
from portal.extensions import db
from portal.mail.models import MailOutbox
from portal.org.models import Department
from portal.security import CONTENT_SECURITY_POLICY
from tests.conftest import post_form
from tests.test_eservices import png_upload, step, submit, tracking_link

LAT, LON = 56.6612, 16.2001            # Stortorget in the made-up Sjöbacka
METRE = 1 / 111_320                     # a metre north, in degrees of latitude
FAULT = {"category": "klotter", "description": "Klotter på busskuren, min granne Kalle Karlsson vet vem."}
PLACE = {"address": "Storgatan 12", "latitude": f"{LAT:.6f}", "longitude": f"{LON:.6f}"}
CONTACT = {"name": "Bo Berg", "email": "bo@example.se", "phone": "070-123 45 67", "notify_by": "email"}
PERSONAL = ("Bo Berg", "bo@example.se", "070-123 45 67", "Kalle", "busskuren")

def place_page(client, place, files=None, lang="sv"):
    return step(client, "felanmalan", "plats", place, files) if lang == "sv" else step_en(client, place)


def step_en(client, place):
    url = "/en/e-services/felanmalan/step/plats"
    return post_form(client, url, place)


def report(client, fault=FAULT, place=PLACE, files=None, contact=CONTACT):
    """Fill in the three pages; returns the place page's response."""
    assert step(client, "felanmalan", "fel", fault).status_code == 302
    response = step(client, "felanmalan", "plats", place, files)
    step(client, "felanmalan", "kontakt", contact)
    return response


def send_report(client, **answers):
    report(client, **answers)
    assert submit(client, "felanmalan").status_code == 302
    return tracking_link(client, "felanmalan")[0]


def case_by_reference(reference):
    return db.session.scalar(select(Case).where(Case.reference == reference))


def stored_files(app):
    return [path for path in Path(app.config["PORTAL_UPLOAD_DIR"]).rglob("*") if path.is_file()]


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def add_report(code, lat, lon, status=CaseStatus.NEW, place="Torget", confidential=False):
    """A report as a submission leaves it, with personal data that must stay private."""
    number = db.session.scalar(select(func.count()).select_from(Case)) + 1
    department = db.session.scalar(select(Department).where(Department.code == "TF"))
    case = Case(reference=f"SJB-2026-8{number:05d}", service_code="felanmalan", title="Anmälan",
                department_id=department.id, lang="sv", tracking_token=f"test-{number}", status=status,
                confidential=confidential, latitude=lat, longitude=lon, place=place,
                contact_name="Hemlig Person", contact_email="hemlig@example.se", contact_phone="070-999 88 77",
                answers={"fel": {"category": code, "description": "Hemlig beskrivning"},
                         "plats": {"address": place, "latitude": lat, "longitude": lon},
                         "kontakt": {"name": "Hemlig Person"}})
    db.session.add(case)
    db.session.commit()
    return case


@pytest.fixture
def photo_positions(monkeypatch):
    """{file name: (lat, lon)} that ``uploads.accept`` reports for the photos sent.  Reading
    EXIF is the uploads module's job (its own tests); here only what felanmälan does with it."""
    positions = {}
    accept = uploads.accept

    def accept_with_position(storage, kinds, max_bytes):
        return dataclasses.replace(accept(storage, kinds, max_bytes), gps=positions.get(storage.filename))
    monkeypatch.setattr(uploads, "accept", accept_with_position)
    return positions


def jpeg_with_position(lat, lon, name="mobilbild.jpg"):
    """A JPEG whose EXIF holds a GPS position, as a phone writes it."""
    def dms(value):
        degrees, rest = divmod(abs(value) * 3600, 3600)
        minutes, seconds = divmod(rest, 60)
        return degrees, minutes, round(seconds, 4)
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: dms(lat),
                                  ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: dms(lon)}
    data = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 200)).save(data, "JPEG", exif=exif)
    data.seek(0)
    return FileStorage(stream=data, filename=name, content_type="image/jpeg")


def noise_png(name, side=120):
    """A PNG that does not compress: larger than a small limit."""
    data = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(data, "PNG")
    data.seek(0)
    return FileStorage(stream=data, filename=name, content_type="image/png")


# --- the report, from the first page to the case -------------------------------------------
def test_a_report_with_photos_becomes_a_case_and_the_citizen_gets_a_receipt(app, client, ctx):
    response = report(client, files={"photos": [png_upload("hal.png"), png_upload("skylt.png")]})
    assert response.status_code == 302
    check = client.get("/sv/e-tjanster/felanmalan/granska").get_data(as_text=True)
    assert "Klotter" in check and "Storgatan 12" in check and "hal.png" in check and "skylt.png" in check
    reference = send_report_after_check(client)
    with ctx():
        case = case_by_reference(reference)
        assert case.answers == {
            "fel": {"category": "klotter", "description": FAULT["description"]},
            "plats": {"address": "Storgatan 12", "latitude": LAT, "longitude": LON},
            "kontakt": {"name": "Bo Berg", "email": "bo@example.se", "phone": "070-123 45 67",
                        "notify_by": "email"}}
        assert (case.latitude, case.longitude, case.place) == (LAT, LON, "Storgatan 12")
        assert case.title == "Klotter: Storgatan 12" and case.department.code == "TF"
        assert sorted(f.original_name for f in case.files) == ["hal.png", "skylt.png"]
        assert count(FormDraft) == 0 and count(DraftFile) == 0
        assert len(stored_files(app)) == 2
        receipt = db.session.scalars(select(MailOutbox).order_by(MailOutbox.id.desc())).first()
        assert receipt.recipient == "bo@example.se" and reference in receipt.subject


def send_report_after_check(client):
    assert submit(client, "felanmalan").status_code == 302
    return tracking_link(client, "felanmalan")[0]


def test_the_categories_come_from_the_database_in_the_pages_language(client):
    swedish = client.get("/sv/e-tjanster/felanmalan/steg/fel").get_data(as_text=True)
    english = client.get("/en/e-services/felanmalan/step/fel").get_data(as_text=True)
    assert '<option value="miljostorning">Miljöstörning</option>' in swedish
    assert '<option value="miljostorning">Environmental nuisance</option>' in english
    assert '<option value="gata">Pothole or damage to a street or cycle path</option>' in english


@pytest.mark.parametrize("code, department", [("gatubelysning", "TF"), ("miljostorning", "MHF")])
def test_each_category_goes_to_its_forvaltning(client, ctx, code, department):
    reference = send_report(client, fault={**FAULT, "category": code})
    with ctx():
        assert case_by_reference(reference).department.code == department


def test_an_unknown_category_is_refused(client):
    html = step(client, "felanmalan", "fel", {**FAULT, "category": "finns-inte"}).get_data(as_text=True)
    assert 'href="#category"' in html


# --- the place -----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, message", [
    ("sv", "Platsen ligger utanför Sjöbacka kommun."),
    ("en", "The place is outside Sjöbacka kommun."),
])
def test_coordinates_outside_the_municipality_are_refused_at_the_field(client, ctx, lang, message):
    step(client, "felanmalan", "fel", FAULT)
    outside = {"address": "", "latitude": "59.329300", "longitude": "18.068600"}   # Stockholm
    response = place_page(client, outside, lang=lang)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert 'href="#latitude"' in html and 'id="latitude-error"' in html
    with ctx():
        assert "plats" not in db.session.scalars(select(FormDraft)).one().answers


def test_one_coordinate_without_the_other_is_refused(client):
    step(client, "felanmalan", "fel", FAULT)
    html = step(client, "felanmalan", "plats", {"latitude": f"{LAT}"}).get_data(as_text=True)
    assert 'id="longitude-error"' in html and "Ange både latitud och longitud" in html


def test_coordinates_may_have_a_decimal_comma_but_must_be_numbers(client, ctx):
    step(client, "felanmalan", "fel", FAULT)
    html = step(client, "felanmalan", "plats", {"latitude": "56,6612", "longitude": "NaN"}).get_data(as_text=True)
    assert 'id="longitude-error"' in html and "Skriv koordinaten som ett decimaltal" in html
    assert 'id="latitude-error"' not in html and 'type="number"' not in html
    assert step(client, "felanmalan", "plats", {"latitude": "56,6612", "longitude": "16,2001"}).status_code == 302
    with ctx():
        answers = db.session.scalars(select(FormDraft)).one().answers["plats"]["data"]
        assert (answers["latitude"], answers["longitude"]) == (LAT, LON)


def test_a_place_is_needed(client):
    step(client, "felanmalan", "fel", FAULT)
    html = step(client, "felanmalan", "plats", {}).get_data(as_text=True)
    assert 'id="address-error"' in html and "Skriv en adress eller ange platsens koordinater." in html


def test_without_a_place_the_position_of_a_photo_is_used_and_said(client, ctx, photo_positions):
    photo_positions["mobil.png"] = (LAT, LON)
    response = report(client, place={}, files={"photos": [png_upload("mobil.png")]})
    assert response.status_code == 302
    check = client.get("/sv/e-tjanster/felanmalan/granska").get_data(as_text=True)
    assert "vi använder positionen i din bild: 56.6612, 16.2001" in check
    reference = send_report_after_check(client)
    with ctx():
        case = case_by_reference(reference)
        assert (case.latitude, case.longitude) == (LAT, LON)
        assert case.answers["plats"]["position_source"] == "photo"
        assert any("bifogad bild" in event.text and not event.public for event in case.events)


def test_a_typed_place_wins_over_the_photo(client, ctx, photo_positions):
    photo_positions["mobil.png"] = (LAT + 0.01, LON)
    reference = send_report(client, files={"photos": [png_upload("mobil.png")]})
    with ctx():
        case = case_by_reference(reference)
        assert case.latitude == LAT and "position_source" not in case.answers["plats"]


def test_a_photo_position_outside_the_municipality_is_not_used(client, photo_positions):
    photo_positions["semester.png"] = (59.3293, 18.0686)
    step(client, "felanmalan", "fel", FAULT)
    html = step(client, "felanmalan", "plats", {}, {"photos": [png_upload("semester.png")]}).get_data(as_text=True)
    assert "Bildens position ligger utanför Sjöbacka kommun." in html and 'id="address-error"' in html


def test_the_position_is_read_from_a_real_photo(client, ctx):
    report(client, place={}, files={"photos": [jpeg_with_position(LAT, LON)]})
    with ctx():
        draft = db.session.scalars(select(FormDraft)).one()
        assert draft.answers["plats"]["data"]["position_source"] == "photo"
        assert draft.answers["plats"]["data"]["latitude"] == pytest.approx(LAT, abs=1e-5)


def test_the_bounds_are_a_setting(app, ctx):
    with ctx():
        assert geo.within_bounds(LAT, LON) and not geo.within_bounds(59.3293, 18.0686)
        assert not geo.within_bounds(None, LON)
        app.config["PORTAL_MUNICIPALITY_BOUNDS"] = "59.2,17.8,59.5,18.3"
        assert geo.within_bounds(59.3293, 18.0686) and not geo.within_bounds(LAT, LON)
        app.config["PORTAL_MUNICIPALITY_BOUNDS"] = "59.5,17.8,59.2,18.3"
        with pytest.raises(ValueError):
            geo.within_bounds(59.3293, 18.0686)


def test_what_open311_uses(ctx):
    with ctx():
        codes = [c.code for c in felanmalan.active_categories()]
        assert len(codes) == 10 and codes[0] == "gatubelysning" and "miljostorning" in codes
        assert felanmalan.category("miljostorning").department.code == "MHF"
        assert felanmalan.category("finns-inte") is None
        assert felanmalan.within_bounds(LAT, LON)
        felanmalan.category("vatten").active = False
        assert "vatten" not in [c.code for c in felanmalan.active_categories()]
        answers = {"fel": {"category": "klotter", "description": "x"},
                   "plats": {"address": "", "latitude": 59.3, "longitude": 18.0}, "kontakt": {}}
        assert felanmalan.SERVICE.check_answers(answers)[0][:2] == ("plats", "latitude")
        felanmalan.category("klotter").active = False
        answers["plats"] = {"address": "Torget", "latitude": None, "longitude": None}
        assert felanmalan.SERVICE.check_answers(answers)[0][:2] == ("fel", "category")


# --- reports nearby ---------------------------------------------------------------------------------
def test_open_reports_of_the_same_category_within_100_m_are_offered(client, ctx):
    with ctx():
        near = add_report("klotter", LAT + 50 * METRE, LON, place="Storgatan 14")
        far = add_report("klotter", LAT + 150 * METRE, LON, place="Kyrkogatan 3")
        corner = add_report("klotter", LAT + 80 * METRE, LON + 80 * METRE / cos(radians(LAT)),
                            place="Hörnet")   # in the 100 m box, but 113 m away
        other = add_report("gatubelysning", LAT + 10 * METRE, LON, place="Storgatan 10")
        closed = add_report("klotter", LAT + 10 * METRE, LON, status=CaseStatus.CLOSED, place="Storgatan 11")
        ids = {"near": near.id, "far": far.id, "corner": corner.id, "other": other.id, "closed": closed.id}
    report(client)
    check = client.get("/sv/e-tjanster/felanmalan/granska").get_data(as_text=True)
    assert "Är det något av de här felen?" in check
    assert f'href="/sv/felanmalningar/{ids["near"]}"' in check and "Storgatan 14" in check and "50 m" in check
    for name in ("far", "corner", "other", "closed"):
        assert f'href="/sv/felanmalningar/{ids[name]}"' not in check
    assert "Hemlig" not in check
    assert submit(client, "felanmalan").status_code == 302   # the citizen may still send theirs


def test_nothing_is_offered_without_coordinates(client, ctx):
    with ctx():
        add_report("klotter", LAT, LON)
    report(client, place={"address": "Storgatan 12"})
    response = client.get("/sv/e-tjanster/felanmalan/granska")
    check = response.get_data(as_text=True)
    assert response.status_code == 200 and "Storgatan 12" in check
    assert "Är det något av de här felen?" not in check


def test_distances_are_great_circle_metres():
    assert geo.distance_m(LAT, LON, LAT + 100 * METRE, LON) == pytest.approx(100, abs=0.5)
    south, west, north, east = geo.box_around(LAT, LON, 100)
    assert geo.distance_m(LAT, LON, LAT, east) == pytest.approx(100, abs=0.5)
    assert south < LAT < north and west < LON < east


# --- public reports -----------------------------------------------------------------------------
def test_the_public_list_and_page_show_no_personal_data(app, client, ctx):
    reference = send_report(client, place={**PLACE, "address": "Storgatan 12, ring 070-111 22 33"})
    with ctx():
        case_id = case_by_reference(reference).id
    visitor = app.test_client()
    listing = visitor.get("/sv/felanmalningar").get_data(as_text=True)
    page = visitor.get(f"/sv/felanmalningar/{case_id}").get_data(as_text=True)
    english = visitor.get("/en/fault-reports").get_data(as_text=True)
    for html in (listing, page):
        assert "Klotter" in html and "Storgatan 12, ring [telefon]" in html and "Mottagen" in html
    assert "Graffiti" in english and "Received" in english and "<table" in english
    for html in (listing, page, english):
        for secret in (*PERSONAL, "070-111 22 33", "/arende/", "hal.png"):
            assert secret not in html


def test_the_public_list_holds_open_reports_a_page_at_a_time(client, ctx):
    with ctx():
        for n in range(27):
            add_report("klotter", LAT, LON, place=f"Klottergatan {n}")
        add_report("gatubelysning", LAT, LON, place="Lampgatan 1")
        add_report("gatubelysning", LAT, LON, place="Stängda gatan", status=CaseStatus.SOLVED)
        add_report("gatubelysning", LAT, LON, place="Hemliga gatan", confidential=True)
    first = client.get("/sv/felanmalningar").get_data(as_text=True)
    assert "28 anmälda fel som inte är åtgärdade" in first and rows(first) == 25
    assert 'href="/sv/felanmalningar?sida=2"' in first
    second = client.get("/sv/felanmalningar?sida=2").get_data(as_text=True)
    assert rows(second) == 3
    assert client.get("/sv/felanmalningar?sida=3").status_code == 404
    lamps = client.get("/sv/felanmalningar?kategori=gatubelysning").get_data(as_text=True)
    assert "Lampgatan 1" in lamps and "Klottergatan" not in lamps
    for html in (first, second, lamps):
        assert "Stängda gatan" not in html and "Hemliga gatan" not in html


def rows(html):
    return len(re.findall(r'<td><a href="/sv/felanmalningar/\d+">', html))


def test_a_case_of_another_service_has_no_public_page(client, ctx):
    with ctx():
        case = add_report("klotter", LAT, LON)
        case.service_code = "bli-uppringd"
        db.session.commit()
        case_id = case.id
    assert client.get(f"/sv/felanmalningar/{case_id}").status_code == 404


# --- the map ---------------------------------------------------------------------------------------------
def test_without_a_tile_server_there_is_no_map_and_the_policy_is_the_portals(client):
    step(client, "felanmalan", "fel", FAULT)
    response = client.get("/sv/e-tjanster/felanmalan/steg/plats")
    html = response.get_data(as_text=True)
    assert "leaflet" not in html and "data-fault-map" not in html
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert re.search(r'<p class="geolocate" hidden>\s*<button type="button"[^>]*data-geolocate', html)
    assert 'src="/static/js/felanmalan.js"' in html


def test_with_a_tile_server_the_map_comes_from_the_portal_and_the_tiles_are_allowed(app, client, ctx):
    app.config.update(PORTAL_MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
                      PORTAL_MAP_ATTRIBUTION="© Kartbolaget")
    with ctx():
        add_report("klotter", LAT, LON)
    step(client, "felanmalan", "fel", FAULT)
    for url in ("/sv/e-tjanster/felanmalan/steg/plats", "/sv/felanmalningar"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert 'src="/leaflet/leaflet.js"' in html and 'href="/leaflet/leaflet.css"' in html
        assert "data-fault-map" in html and 'data-tiles="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in html
        assert not re.search(r'<script[^>]+src="(https?:)?//', html)
        assert "img-src 'self' data: https://*.tiles.example.org;" in response.headers["Content-Security-Policy"]
    assert client.get("/sv/").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    script = client.get("/leaflet/leaflet.js")
    assert script.status_code == 200 and "javascript" in script.content_type
    assert client.get("/leaflet/images/marker-icon.png").status_code == 200
    assert client.get("/leaflet/leaflet-src.js.map").status_code == 404


# --- bad photos, and nothing left behind ---------------------------------------------------------------
def small_photo_limit(monkeypatch, max_bytes):
    rule = dataclasses.replace(felanmalan.SERVICE.attachments[0], max_bytes=max_bytes)
    monkeypatch.setattr(felanmalan.SERVICE, "attachments", [rule])


@pytest.mark.parametrize("files, message", [
    ([FileStorage(io.BytesIO(b""), "tom.jpg")], "tom.jpg: Filen är tom."),
    ([png_upload(f"bild{n}.png") for n in range(4)], "Du kan bifoga högst 3 filer."),
    ("too large", "stor.png: Filen är större än 0,2 MB."),
    ([FileStorage(io.BytesIO(b"<html><script>alert(1)</script></html>"), "sida.jpg")],
     "sida.jpg: Filen är inte en bild"),
])
def test_bad_photos_get_a_message_at_the_field_and_nothing_remains_when_the_citizen_gives_up(
        app, client, ctx, monkeypatch, files, message):
    if files == "too large":
        small_photo_limit(monkeypatch, 200 * 1024)
        files = [noise_png("stor.png", side=300)]
    step(client, "felanmalan", "fel", FAULT)
    response = step(client, "felanmalan", "plats", PLACE, {"photos": files})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'<p class="field-error" id="photos-error">(.*?)</p>', html, re.S)
    assert error and message in error.group(1), html[:3000]
    assert 'href="#photos"' in html
    give_up_and_purge(app, ctx)


def test_photos_of_a_page_refused_for_its_place_are_purged_with_the_draft(app, client, ctx):
    step(client, "felanmalan", "fel", FAULT)
    outside = {"address": "", "latitude": "59.3293", "longitude": "18.0686"}
    step(client, "felanmalan", "plats", outside, {"photos": [png_upload("a.png"), png_upload("b.png")]})
    assert len(stored_files(app)) == 2
    give_up_and_purge(app, ctx)


def give_up_and_purge(app, ctx):
    """The citizen leaves: once the draft has expired, no row and no file of it remains."""
    with ctx():
        operations.purge_drafts(utcnow() + timedelta(days=app.config["PORTAL_DRAFT_DAYS"] + 1))
        db.session.commit()
        assert count(FormDraft) == 0 and count(DraftFile) == 0
        assert count(Case) == 0 and count(CaseFile) == 0
    assert stored_files(app) == []


# --- the admins' category pages ------------------------------------------------------------------------
NEW_CATEGORY = {"name_sv": "Fallna träd", "name_en": "Fallen trees", "description_sv": "Träd över väg.",
                "description_en": "", "code": "fallna-trad", "group": "Parker och natur", "keywords": "storm, träd",
                "position": "15", "active": "y"}


def department_id(ctx, code):
    with ctx():
        return db.session.scalar(select(Department.id).where(Department.code == code))


def test_an_admin_creates_a_category_that_citizens_can_choose(client, ctx, login_as):
    admin = login_as("admin")
    listing = admin.get("/sv/admin/felkategorier").get_data(as_text=True)
    assert "Miljöstörning" in listing and "Miljö- och hälsoskyddsförvaltningen" in listing
    response = post_form(admin, "/sv/admin/felkategorier/ny",
                         {**NEW_CATEGORY, "department_id": department_id(ctx, "SBF")})
    assert response.status_code == 302 and response.location.endswith("/sv/admin/felkategorier")
    with ctx():
        made = felanmalan.category("fallna-trad")
        assert made.department.code == "SBF" and made.names == {"sv": "Fallna träd", "en": "Fallen trees"}
        assert made.keywords == ["storm", "träd"] and made.position == 15 and made.active
    form = admin.get("/en/e-services/felanmalan/step/fel").get_data(as_text=True)
    assert '<option value="fallna-trad">Fallen trees</option>' in form
    assert "Fallna träd" in admin.get("/sv/admin/felkategorier").get_data(as_text=True)


@pytest.mark.parametrize("code, message", [
    ("Fallna träd", "Koden får bara ha små bokstäver a–z, siffror och bindestreck"),
    ("fallna_trad", "Koden får bara ha små bokstäver a–z, siffror och bindestreck"),
    ("-trad", "Koden får bara ha små bokstäver a–z, siffror och bindestreck"),
    ("klotter", "Koden används redan av en annan kategori."),
    ("", "Skriv en kod."),
])
def test_the_open311_code_is_checked(client, ctx, login_as, code, message):
    admin = login_as("admin")
    response = post_form(admin, "/sv/admin/felkategorier/ny",
                         {**NEW_CATEGORY, "code": code, "department_id": department_id(ctx, "TF")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="code-error"' in html and message in html
    with ctx():
        assert count(FaultCategory) == 10


def test_an_admin_changes_routing_and_turns_a_category_off(client, ctx, login_as):
    with ctx():
        category_id = felanmalan.category("vatten").id
    admin = login_as("admin")
    page = f"/sv/admin/felkategorier/{category_id}"
    assert 'value="vatten"' in admin.get(page).get_data(as_text=True)
    response = post_form(admin, page, {"name_sv": "Vatten och avlopp", "code": "vatten", "position": "90",
                                       "department_id": department_id(ctx, "SBF")})
    assert response.status_code == 302
    with ctx():
        found = felanmalan.category("vatten")
        assert found.department.code == "SBF" and not found.active
    assert 'value="vatten"' not in admin.get("/sv/e-tjanster/felanmalan/steg/fel").get_data(as_text=True)


def test_the_code_of_a_category_with_reports_cannot_change(client, ctx, login_as):
    with ctx():
        add_report("klotter", LAT, LON)
        category_id = felanmalan.category("klotter").id
    admin = login_as("admin")
    response = post_form(admin, f"/sv/admin/felkategorier/{category_id}",
                         {"name_sv": "Klotter", "code": "klotter-nytt", "position": "50", "active": "y",
                          "department_id": department_id(ctx, "TF")})
    assert response.status_code == 200 and "Koden kan inte ändras" in response.get_data(as_text=True)
    with ctx():
        assert felanmalan.category("klotter") is not None and felanmalan.category("klotter-nytt") is None


@pytest.mark.parametrize("username", ["officer", "agent", "editor", "manager"])
def test_only_admins_may_keep_categories(client, ctx, login_as, username):
    with ctx():
        category_id = felanmalan.category("klotter").id
    assert client.get("/sv/admin/felkategorier").status_code == 302   # not logged in: to the login page
    person = login_as(username)
    for url in ("/sv/admin/felkategorier", "/sv/admin/felkategorier/ny",
                f"/sv/admin/felkategorier/{category_id}"):
        assert person.get(url).status_code == 403
    response = person.post("/sv/admin/felkategorier/ny", data={
        "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                                person.get("/sv/").get_data(as_text=True)).group(1),
        **NEW_CATEGORY, "department_id": department_id(ctx, "TF")})
    assert response.status_code == 403
    with ctx():
        assert felanmalan.category("fallna-trad") is None
