"""Uploaded files (eservices/uploads.py): what is accepted, what is refused, how it is
kept and how it is served.  Every file is made here: images with Pillow, PDFs by hand."""
import io
import os
import re
import stat
import struct
import zlib
from pathlib import Path

import pytest
from flask import request
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from eservices import uploads
from portal.extensions import db
from tests.conftest import make_app

MB = 1024 * 1024
LIMIT = 10 * MB
RED, BLUE = (255, 0, 0), (0, 0, 255)
# Kalmar: 56°39'48" N, 16°21'36" E.
KALMAR_GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (56.0, 39.0, 48.0),
              ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (16.0, 21.0, 36.0)}
ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6


@pytest.fixture
def upload_app(tmp_path):
    return make_app(tmp_path)


@pytest.fixture
def ctx(upload_app):
    with upload_app.test_request_context("/sv/"):
        yield


def upload(data, filename="fil.jpg", mimetype="image/jpeg"):
    return FileStorage(io.BytesIO(data), filename=filename, content_type=mimetype)


def accept(data, filename="fil.jpg", kinds=("image",), max_bytes=LIMIT):
    return uploads.accept(upload(data, filename), kinds, max_bytes)


def refusal(data, filename="fil.jpg", kinds=("image",), max_bytes=LIMIT):
    """The citizen's message for a file that must be refused."""
    with pytest.raises(uploads.UploadRejected) as refused:
        accept(data, filename, kinds, max_bytes)
    return str(refused.value)


def stored_bytes(stored_name):
    with uploads.open_stored(stored_name) as handle:
        return handle.read()


def stored_files(app):
    return sorted(path for path in uploads_folder(app).rglob("*") if path.is_file())


def uploads_folder(app):
    return Path(app.config["PORTAL_UPLOAD_DIR"])


# --- files to upload ------------------------------------------------------------

def encoded(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def red_left_blue_right(size=(64, 32), mode="RGB"):
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def exif_block(orientation=None, gps=None):
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = gps
    return exif


def photo(orientation=None, gps=None, **options):
    """A JPEG as a phone writes it: EXIF with orientation and position, and more metadata."""
    return encoded(red_left_blue_right(), "JPEG", exif=exif_block(orientation, gps), **options)


def noisy_jpeg(size=(256, 256)):
    return encoded(Image.effect_noise(size, 64).convert("RGB"), "JPEG", quality=95)


def png_chunks(data):
    """The chunk types of a PNG file, in order."""
    chunks, position = [], 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunks.append(kind.decode())
        position += 12 + length
    return chunks


def png_claiming(width, height):
    """A PNG of one pixel whose header claims ``width`` × ``height``: tiny on disk."""
    data = bytearray(encoded(Image.new("L", (1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def pdf(*objects, catalog=b""):
    """A one-page PDF with a correct cross-reference table; ``objects`` become 4, 5, …"""
    bodies = [b"<< /Type /Catalog /Pages 2 0 R" + catalog + b" >>",
              b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", *objects]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def stream_object(dictionary, data):
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def object_stream(objects, filters=b"/Filter /FlateDecode", encode=zlib.compress):
    """An object stream (/ObjStm) holding ``objects`` ({number: body})."""
    bodies, header, offset = b"", b"", 0
    for number, body in objects.items():
        header += b"%d %d " % (number, offset)
        bodies += body + b" "
        offset += len(body) + 1
    data = encode(header + bodies)
    return stream_object(b"/Type /ObjStm /N %d /First %d %s" % (len(objects), len(header), filters),
                         data)


JAVASCRIPT_ACTION = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


# --- images that are accepted ---------------------------------------------------

def test_a_photo_is_encoded_anew_without_any_metadata(ctx):
    original = photo(gps=KALMAR_GPS, icc_profile=b"made-up-icc-profile",
                     comment=b"secret-comment", xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>")
    accepted = accept(original + b"<script>alert(1)</script>")
    stored = stored_bytes(accepted.stored_name)
    assert stored != original and accepted.size == len(stored)
    for trace in (b"Exif", b"ICC_PROFILE", b"secret-comment", b"secret-xmp", b"<script>"):
        assert trace not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not {"icc_profile", "xmp", "comment", "exif"} & image.info.keys()


def test_the_gps_position_is_read_before_the_metadata_goes(ctx):
    accepted = accept(photo(gps=KALMAR_GPS))
    assert accepted.gps == (56.663333, 16.36)


def test_south_and_west_give_negative_degrees(ctx):
    gps = {**KALMAR_GPS, ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLongitudeRef: "W"}
    assert accept(photo(gps=gps)).gps == (-56.663333, -16.36)


@pytest.mark.parametrize("gps", [
    None,
    {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (56.0, 39.0, 48.0)},
    {**KALMAR_GPS, ExifTags.GPS.GPSLatitude: (0.0, 0.0, 0.0), ExifTags.GPS.GPSLongitude: (0.0, 0.0, 0.0)},
    {**KALMAR_GPS, ExifTags.GPS.GPSLatitude: (156.0, 0.0, 0.0)},
], ids=["none", "no-longitude", "no-fix-zero", "impossible-latitude"])
def test_a_photo_without_a_usable_position_is_still_accepted(ctx, gps):
    assert accept(photo(gps=gps)).gps is None


def test_the_exif_orientation_turns_the_pixels(ctx):
    accepted = accept(photo(orientation=ROTATE_90_CLOCKWISE))
    with Image.open(io.BytesIO(stored_bytes(accepted.stored_name))) as image:
        assert image.size == (32, 64)
        top, bottom = image.getpixel((16, 8)), image.getpixel((16, 56))
    assert top[0] > 200 > top[2] and bottom[2] > 200 > bottom[0]   # red on top, blue below


def test_a_png_stays_a_png_without_its_text_exif_or_profile(ctx):
    original = encoded(red_left_blue_right(mode="RGBA"), "PNG", exif=exif_block(gps=KALMAR_GPS),
                       icc_profile=b"made-up-icc-profile", pnginfo=png_text("Author", "Eva Svensson"))
    accepted = accept(original, "skärmbild.png")
    stored = stored_bytes(accepted.stored_name)
    assert accepted.content_type == "image/png" and accepted.original_name == "skärmbild.png"
    assert accepted.gps == (56.663333, 16.36)
    assert png_chunks(stored) == ["IHDR", "IDAT", "IEND"]
    assert b"Eva Svensson" not in stored


def png_text(key, value):
    info = PngInfo()
    info.add_text(key, value)
    return info


def test_the_type_comes_from_the_content_not_the_name_or_the_browser(ctx):
    png = encoded(red_left_blue_right(), "PNG")
    accepted = uploads.accept(upload(png, "foto.jpg", "image/jpeg"), ("image",), LIMIT)
    assert accepted.content_type == "image/png"
    assert accepted.original_name == "foto.png"


def test_a_webp_becomes_a_jpeg_laid_on_white(ctx):
    transparent = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    accepted = accept(encoded(transparent, "WEBP", lossless=True), "skada.webp")
    assert accepted.content_type == "image/jpeg" and accepted.original_name == "skada.jpg"
    with Image.open(io.BytesIO(stored_bytes(accepted.stored_name))) as image:
        assert image.format == "JPEG" and image.getpixel((16, 16)) == (255, 255, 255)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_large_image_is_scaled_down_to_the_longest_side_allowed(ctx, monkeypatch, image_format):
    monkeypatch.setattr(uploads, "MAX_SIDE", 100)
    accepted = accept(encoded(red_left_blue_right((400, 200)), image_format))
    with Image.open(io.BytesIO(stored_bytes(accepted.stored_name))) as image:
        assert image.size == (100, 50)


def test_a_palette_png_keeps_its_transparency(ctx):
    image = red_left_blue_right().convert("P")
    transparent_index = image.getpixel((0, 0))
    accepted = accept(encoded(image, "PNG", transparency=transparent_index))
    with Image.open(io.BytesIO(stored_bytes(accepted.stored_name))) as stored:
        assert stored.convert("RGBA").getpixel((0, 0))[3] == 0
        assert stored.convert("RGBA").getpixel((63, 0)) == (*BLUE, 255)


def test_a_cmyk_jpeg_becomes_rgb(ctx):
    accepted = accept(encoded(red_left_blue_right().convert("CMYK"), "JPEG"))
    with Image.open(io.BytesIO(stored_bytes(accepted.stored_name))) as image:
        assert image.mode == "RGB"


# --- what is refused --------------------------------------------------------------

def test_an_empty_file_is_refused(ctx, upload_app):
    assert refusal(b"") == "Filen är tom."
    assert stored_files(upload_app) == []


def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message(ctx):
    assert refusal(b"\xff" * (LIMIT + 1)) == "Filen är större än 10 MB."
    assert refusal(b"\xff" * (MB * 5 // 2 + 1), max_bytes=MB * 5 // 2) == "Filen är större än 2,5 MB."


class EndlessStream:
    """A file that never ends, counting what was read of it."""

    def __init__(self):
        self.bytes_read = 0

    def read(self, size=-1):
        assert size >= 0, "read without a limit"
        self.bytes_read += size
        return b"\xff" * size


def test_no_more_than_one_byte_past_the_limit_is_read(ctx):
    endless = EndlessStream()
    with pytest.raises(uploads.UploadRejected):
        uploads.accept(FileStorage(endless, filename="oändlig.jpg"), ("image",), 100_000)
    assert endless.bytes_read == 100_001


@pytest.mark.parametrize("data", [
    b"Hej, det har ar en textfil.\n",
    b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
], ids=["text", "html", "svg-xml", "svg"])
def test_text_html_or_svg_named_jpg_is_refused(ctx, upload_app, data):
    assert refusal(data, "semester.jpg") == "Filen är inte en bild i formatet JPEG, PNG eller WebP."
    assert stored_files(upload_app) == []


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(ctx, image_format):
    data = encoded(red_left_blue_right(), image_format)
    assert refusal(data) == "Filen är inte en bild i formatet JPEG, PNG eller WebP."
    assert refusal(data, kinds=("image", "pdf")) == "Filen är inte en bild (JPEG, PNG eller WebP) eller en PDF."


def test_heic_is_refused_with_advice(ctx):
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00" * 12 + b"mif1heic"
    assert refusal(heic, "IMG_0001.HEIC").startswith("Bilder i formatet HEIC kan inte tas emot.")


def test_a_pdf_where_only_images_are_allowed_is_refused(ctx):
    assert refusal(pdf(), "bild.jpg") == "Filen är inte en bild i formatet JPEG, PNG eller WebP."


def test_an_image_where_only_pdf_is_allowed_is_refused(ctx):
    assert refusal(photo(), "intyg.pdf", kinds=("pdf",)) == "Filen är inte en PDF."


def test_a_truncated_jpeg_is_refused(ctx, upload_app):
    whole = noisy_jpeg()
    assert refusal(whole[:len(whole) // 2]) == "Bilden går inte att läsa. Filen kan vara skadad."
    assert stored_files(upload_app) == []


def test_a_png_with_broken_data_is_refused(ctx):
    data = bytearray(encoded(Image.effect_noise((64, 64), 64), "PNG"))
    idat = data.index(b"IDAT") + 4
    data[idat + 10:idat + 40] = b"\x00" * 30
    assert refusal(bytes(data)) == "Bilden går inte att läsa. Filen kan vara skadad."


def test_a_header_with_just_a_signature_is_refused(ctx):
    assert refusal(b"\xff\xd8\xff\xe0") == "Bilden går inte att läsa. Filen kan vara skadad."


@pytest.mark.parametrize("width, height", [(8000, 7000), (10000, 10000), (20000, 20000), (65535, 65535)],
                         ids=["over-our-limit", "over-pillows-warning", "over-pillows-limit", "largest-png"])
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused_before_it_is_decoded(ctx, width, height):
    bomb = png_claiming(width, height)
    assert len(bomb) < 100
    assert refusal(bomb, "bomb.png") == "Bilden har för många bildpunkter. Den får ha högst 50 miljoner."


def test_an_unknown_kind_is_a_programming_error(ctx):
    with pytest.raises(ValueError, match="unknown kinds"):
        uploads.accept(upload(photo()), ("image", "video"), LIMIT)
    with pytest.raises(ValueError, match="unknown kinds"):
        uploads.accept(upload(photo()), (), LIMIT)


# --- PDF ------------------------------------------------------------------------

def test_a_pdf_is_kept_byte_for_byte(ctx, monkeypatch):
    """Only object streams are inflated: a large compressed page or image is no bomb."""
    monkeypatch.setattr(uploads, "PDF_INFLATE_LIMIT", 1000)
    content = stream_object(b"/Filter /FlateDecode", zlib.compress(os.urandom(50_000)))
    document = pdf(content)
    accepted = uploads.accept(upload(document, "läkarintyg.pdf", "application/octet-stream"),
                              ("image", "pdf"), LIMIT)
    assert accepted.content_type == "application/pdf" and accepted.gps is None
    assert accepted.original_name == "läkarintyg.pdf"
    assert stored_bytes(accepted.stored_name) == document and accepted.size == len(document)


@pytest.mark.parametrize("document", [
    b"%PDF-1.7\n" + b"\x00" * 100,
    pdf().replace(b"%%EOF", b"%%END"),
    pdf().replace(b"/Type /Page ", b"/Type /Sida "),
    b"%PDF-x.y\n" + pdf()[9:],
], ids=["no-end", "end-marker-missing", "no-page", "bad-version"])
def test_a_pdf_that_is_not_really_one_is_refused(ctx, document):
    assert refusal(document, "intyg.pdf", kinds=("pdf",)) == "PDF-filen går inte att läsa. Filen kan vara skadad."


def test_html_named_pdf_is_refused(ctx):
    assert refusal(b"<html><body>%PDF-1.7</body></html>", "intyg.pdf", kinds=("pdf",)) == "Filen är inte en PDF."


@pytest.mark.parametrize("document", [
    pdf(JAVASCRIPT_ACTION, catalog=b" /OpenAction 4 0 R"),
    pdf(JAVASCRIPT_ACTION.replace(b"/JavaScript", b"/J#61va#53cript"), catalog=b" /OpenAction 4 0 R"),
    pdf(b"<< /S /Launch /F (cmd.exe) >>", catalog=b" /OpenAction 4 0 R"),
    pdf(stream_object(b"/Type /EmbeddedFile", b"MZ\x90\x00"), catalog=b" /Names << /EmbeddedFiles 5 0 R >>"),
    pdf(b"<< /Fields [] /XFA 5 0 R >>", catalog=b" /AcroForm 4 0 R"),
    pdf(object_stream({5: JAVASCRIPT_ACTION}), catalog=b" /OpenAction 5 0 R"),
    pdf(object_stream({5: JAVASCRIPT_ACTION}, b"/Filter [/Fl]", zlib.compress), catalog=b" /OpenAction 5 0 R"),
], ids=["javascript", "escaped-name", "launch", "embedded-file", "xfa", "in-object-stream",
        "in-object-stream-short-filter"])
def test_a_pdf_with_active_parts_is_refused(ctx, upload_app, document):
    assert refusal(document, "intyg.pdf", kinds=("pdf",)).startswith(
        "PDF-filen innehåller skript, bifogade filer eller andra aktiva delar")
    assert stored_files(upload_app) == []


@pytest.mark.parametrize("document", [
    pdf(object_stream({5: JAVASCRIPT_ACTION}, b"/Filter [/FlateDecode /ASCIIHexDecode]",
                      lambda data: zlib.compress(data.hex().encode()))),
    pdf(object_stream({5: JAVASCRIPT_ACTION}, b"/Filter /FlateDecode", lambda data: os.urandom(64))),
    pdf(object_stream({5: b"<< /Pad (" + b"0" * 3000 + b") >>"})),
], ids=["other-filter", "encrypted-or-broken", "inflates-too-much"])
def test_a_pdf_whose_object_streams_cannot_be_read_is_refused(ctx, monkeypatch, document):
    monkeypatch.setattr(uploads, "PDF_INFLATE_LIMIT", 2000)
    assert refusal(document, "intyg.pdf", kinds=("pdf",)).startswith("PDF-filen går inte att kontrollera")


@pytest.mark.parametrize("limit, document", [
    ("PDF_MAX_STREAMS", pdf(*[stream_object(b"", b"q Q")] * 4)),
    ("PDF_MAX_ESCAPED_NAMES", pdf(*[b"<< /Font /Arial#20Bold >>"] * 4)),
])
def test_a_pdf_made_to_waste_time_is_refused(ctx, monkeypatch, limit, document):
    assert accept(document, "intyg.pdf", kinds=("pdf",))
    monkeypatch.setattr(uploads, limit, 2)
    assert refusal(document, "intyg.pdf", kinds=("pdf",)).startswith("PDF-filen går inte att kontrollera")


def test_a_pdf_with_a_plain_object_stream_and_links_is_accepted(ctx):
    link = b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://www.1177.se/) >> >>"
    document = pdf(object_stream({5: link}))
    assert accept(document, "intyg.pdf", kinds=("pdf",)).content_type == "application/pdf"


# --- names and storage ----------------------------------------------------------

@pytest.mark.parametrize("given, content_type, shown", [
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("C:\\Users\\Eva\\Desktop\\läkarintyg.pdf", "application/pdf", "läkarintyg.pdf"),
    ("la\u0308karintyg.PDF", "application/pdf", "läkarintyg.PDF"),
    ("..\\..\\bild.png", "image/png", "bild.png"),
    (".htaccess", "image/jpeg", "htaccess.jpg"),
    ("...", "application/pdf", "bilaga.pdf"),
    ("", "application/pdf", "bilaga.pdf"),
    (None, "image/jpeg", "bilaga.jpg"),
    ("foto\u202egpj.exe", "image/jpeg", "fotogpj.exe.jpg"),
    ("bild\x00.php\r\n.jpg", "image/jpeg", "bild.php.jpg"),
    ("skada.webp", "image/jpeg", "skada.jpg"),
    ("IMG_1234.JPEG", "image/jpeg", "IMG_1234.JPEG"),
    ("intyg 2024.05.03", "application/pdf", "intyg 2024.05.03.pdf"),
    ('a<b>:"c"|?*.pdf', "application/pdf", "a_b___c____.pdf"),
    ("  många   mellanslag\t.pdf ", "application/pdf", "många mellanslag.pdf"),
])
def test_display_names_hold_no_path_or_control_characters(given, content_type, shown):
    assert uploads.display_name(given, content_type) == shown


def test_a_long_name_is_cut_before_its_extension():
    shown = uploads.display_name("å" * 300 + ".pdf", "application/pdf")
    assert shown == "å" * 100 + ".pdf"


def test_the_original_name_of_an_accepted_file_is_cleaned(ctx):
    accepted = accept(photo(), "../../../var/www/static/x.jpg")
    assert accepted.original_name == "x.jpg"


def test_files_get_random_names_and_only_their_owner_may_read_them(ctx, upload_app):
    previous_umask = os.umask(0)
    try:
        first, second = accept(photo()), accept(photo())
    finally:
        os.umask(previous_umask)
    assert first.stored_name != second.stored_name
    for accepted in (first, second):
        assert re.fullmatch(r"[0-9a-f]{32}", accepted.stored_name)
        path = uploads_folder(upload_app) / accepted.stored_name[:2] / accepted.stored_name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(uploads_folder(upload_app).stat().st_mode) == 0o700


@pytest.mark.parametrize("name", [
    "../x", "", "..", "/etc/passwd", "ab/../../etc/passwd", "A" * 32, "0" * 31, "0" * 33,
    "0" * 32 + "\n", "0" * 32 + "/..", "g" * 32, None, 42,
])
def test_only_names_the_module_makes_are_opened_or_deleted(ctx, name):
    with pytest.raises(ValueError):
        uploads.open_stored(name)
    with pytest.raises(ValueError):
        uploads.delete_stored(name)


def test_a_missing_file_cannot_be_opened_but_deleting_it_is_fine(ctx):
    with pytest.raises(FileNotFoundError):
        uploads.open_stored("0" * 32)
    uploads.delete_stored("0" * 32)


def test_delete_removes_the_file(ctx, upload_app):
    accepted = accept(photo())
    uploads.delete_stored(accepted.stored_name)
    assert stored_files(upload_app) == []


def test_uploads_are_never_kept_in_the_static_folder(tmp_path):
    app = make_app(tmp_path, PORTAL_UPLOAD_DIR=str(tmp_path / "static" / "uploads"))
    app.static_folder = str(tmp_path / "static")
    with app.test_request_context("/sv/"), pytest.raises(RuntimeError, match="static folder"):
        accept(photo())
    assert not (tmp_path / "static").exists()


# --- serving ----------------------------------------------------------------------

@pytest.fixture
def client(upload_app):
    """A client of an app with one route that serves stored files as the views will
    (with the tables its error pages read)."""
    with upload_app.app_context():
        db.create_all()
    @upload_app.get("/test-upload/<name>")
    def serve(name):
        return uploads.send_stored(name, request.args["type"], request.args["name"],
                                   inline="inline" in request.args)
    return upload_app.test_client()


def store_in(app, data, filename, kinds):
    with app.test_request_context("/sv/"):
        return accept(data, filename, kinds)


def test_a_pdf_is_sent_as_an_attachment_that_cannot_run(upload_app, client):
    document = pdf()
    accepted = store_in(upload_app, document, "läkarintyg.pdf", ("pdf",))
    response = client.get(f"/test-upload/{accepted.stored_name}",
                          query_string={"type": accepted.content_type, "name": accepted.original_name})
    assert response.status_code == 200 and response.data == document
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=lakarintyg.pdf; filename*=UTF-8''l%C3%A4karintyg.pdf")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]


def test_an_image_may_be_shown_inline(upload_app, client):
    accepted = store_in(upload_app, photo(), "gropen.jpg", ("image",))
    response = client.get(f"/test-upload/{accepted.stored_name}",
                          query_string={"type": "image/jpeg", "name": "gropen.jpg", "inline": "1"})
    assert response.headers["Content-Disposition"] == "inline; filename=gropen.jpg"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_a_missing_file_is_not_found(client):
    response = client.get("/test-upload/" + "0" * 32, query_string={"type": "image/png", "name": "x.png"})
    assert response.status_code == 404


def test_only_images_are_sent_inline_and_only_our_types_are_sent(ctx):
    accepted = accept(pdf(), "intyg.pdf", kinds=("pdf",))
    with pytest.raises(ValueError, match="inline"):
        uploads.send_stored(accepted.stored_name, "application/pdf", "intyg.pdf", inline=True)
    with pytest.raises(ValueError, match="content type"):
        uploads.send_stored(accepted.stored_name, "text/html", "intyg.html")
    with pytest.raises(ValueError):
        uploads.send_stored("../x", "application/pdf", "intyg.pdf")
    with pytest.raises(NotFound):
        uploads.send_stored("0" * 32, "application/pdf", "intyg.pdf")
