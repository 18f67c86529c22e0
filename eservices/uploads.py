"""Files from citizens: checked by their content, cleaned, and kept where nothing runs them.

The e-services take files from people who are not logged in (a photo of a
pothole, a medical certificate), so every file is treated as hostile.  The
rules follow OWASP ASVS 12.x:

- **Size.**  ``accept`` reads at most ``max_bytes + 1`` bytes, so a file is
  refused as too large without more of it ever being in memory; an empty file
  is refused too.  The limit per submission is the request body limit that the
  view sets with ``portal.security.form_limit`` (Werkzeug refuses a larger body
  with 413 before it is parsed), together with the number of files a field
  takes (``registry.Attachment``).
- **Type by content.**  The first bytes decide (the JPEG, PNG, WebP and PDF
  signatures), never the file name or the browser's ``Content-Type``, which the
  sender chooses.  Text, HTML or SVG named ``.jpg`` has no image signature and
  is refused.  Four signatures need no library; the decoder then proves the
  rest.
- **Images are decoded and encoded again.**  Pillow may only use the decoder of
  the detected format (``formats=``), so no other parser of Pillow's many ever
  sees the bytes.  An image of more than ``MAX_PIXELS`` is refused before it is
  decoded (a small file can claim a huge size: a decompression bomb), and so is
  one beyond Pillow's own limit (``DecompressionBombError``).  The GPS position
  is read first (a felanmälan wants it), the EXIF orientation is applied to the
  pixels, an image larger than ``MAX_SIDE`` on its long side is scaled down,
  and the pixels are written as a new file: JPEG, except that a PNG stays a PNG
  (screenshots, transparency).  Nothing of the original file survives but the
  pixels: no EXIF (position, camera, time), XMP, comments, text chunks or
  colour profile, and no bytes an attacker placed after the image (polyglots).
  Dropping the colour profile shifts the colours of wide-gamut photos a little,
  which a report or a certificate can bear, and it keeps LittleCMS away from
  profiles made by strangers.
- **HEIC is not accepted.**  Pillow on our machines cannot read it (that needs
  the ``pillow-heif`` plugin).  iPhones send JPEG from a web form unless the
  form asks for HEIC, and a HEIC file that comes anyway gets a message that
  says what to do.
- **A PDF must be a PDF**, and is kept byte for byte (re-rendering a PDF is a
  job for a sandboxed tool, not for the web process).  It must start with the
  ``%PDF-`` header and end with ``%%EOF``, and have a page.  It is refused when
  it holds a name that gives it active parts: ``/JavaScript`` (every
  JavaScript action names its type so), ``/Launch`` (runs a program),
  ``/EmbeddedFile(s)`` and ``/FileAttachment`` (would carry a file of any type
  past these checks), ``/RichMedia`` (Flash, 3D) and ``/XFA`` (forms with
  scripts).  The names are read with their ``#xx`` escapes decoded, in the file
  and in its compressed object streams; an object stream that cannot be
  inflated (an encrypted PDF, or an unusual filter) means the file cannot be
  checked, and it is refused with the advice to save it again as a new PDF.
  This is a cheap scan of what ordinary tools write, not a PDF parser: a file
  built to hide such a name from it could get through, which is why the other
  protections below do not depend on it.  Its work is bounded however the file
  is made: object streams may inflate to ``PDF_INFLATE_LIMIT`` in all, and a
  file with more than ``PDF_MAX_STREAMS`` streams or ``PDF_MAX_ESCAPED_NAMES``
  escaped names is refused as one that cannot be checked.  A 10 MB scan takes
  about 20 ms; files made to be slow take under a second.
- **Stored outside the web root under random names.**  Files go to
  ``PORTAL_UPLOAD_DIR`` (refused if it lies inside the static folder), named
  by 128 random bits (``secrets.token_hex``) in a subfolder of the first two
  characters, with mode 0600 in folders of mode 0700.  The name the citizen
  gave is only a display name, cleaned by ``display_name``.  ``open_stored``
  and ``delete_stored`` take only names this module could have made, so no
  path can be smuggled in.
- **Served so that nothing runs.**  ``send_stored`` sends the stored content
  type (one of ours, never a guess), as an attachment by default, with
  ``X-Content-Type-Options: nosniff``, a ``sandbox`` Content-Security-Policy
  (a file opened in the browser can run no script and reach nothing),
  ``Cross-Origin-Resource-Policy: same-origin`` and ``Cache-Control: no-store``
  (a certificate holds health data).  Only images, which were encoded here,
  may be shown inline.

Refusals raise ``UploadRejected``; ``str(error)`` is the message for the
citizen, in their language.
"""
import io
import os
import re
import secrets
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from math import isfinite
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import LazyString, format_decimal, gettext
from flask_babel import lazy_gettext as _l
from PIL import ExifTags, Image, ImageOps

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
PDF = "application/pdf"

# The kinds an e-service may allow for a file field, and the content types of each.
KINDS = {"image": (JPEG, PNG, WEBP), "pdf": (PDF,)}

PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
EXTENSIONS = {JPEG: (".jpg", ".jpeg"), PNG: (".png",), WEBP: (".webp",), PDF: (".pdf",)}
KNOWN_EXTENSIONS = frozenset(extension for names in EXTENSIONS.values() for extension in names)

MEGABYTE = 1024 * 1024
READ_CHUNK = 64 * 1024
# Refused before decoding: 50 million pixels take 150 MB as RGB.  Phones save 12 MP by default.
MAX_PIXELS = 50_000_000
# Larger images are scaled down: an officer needs no more, and memory and disk stay bounded.
MAX_SIDE = 4096
JPEG_QUALITY = 85
# Brands of the ISO base media file that mean HEIF/HEIC (iPhone photos).
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")

STORED_NAME = re.compile(r"[0-9a-f]{32}")
DEFAULT_STEM = "bilaga"
MAX_STEM = 100
# Characters Windows does not allow in file names, and so downloads should not have.
UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*]')

# PDF: header, end marker, names (ended by a delimiter or white space) and their escapes.
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_END = b"%%EOF"
PDF_END_WINDOW = 1024
PDF_DELIMITERS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"Launch", b"EmbeddedFile", b"EmbeddedFiles",
                              b"FileAttachment", b"RichMedia", b"XFA"})
PDF_FILTERS = frozenset({b"FlateDecode", b"Fl", b"LZWDecode", b"LZW", b"ASCIIHexDecode", b"AHx",
                         b"ASCII85Decode", b"A85", b"RunLengthDecode", b"RL", b"Crypt"})
PDF_NAMES_OF_INTEREST = PDF_ACTIVE_NAMES | PDF_FILTERS | {b"Page", b"ObjStm"}
# A name is ended by a delimiter or white space.  Only the names of interest are taken
# from the file, and names written with #xx escapes, to be decoded and looked at again.
PDF_NAME_OF_INTEREST = re.compile(rb"/(%s)(?=[%s]|\Z)" % (
    b"|".join(sorted(PDF_NAMES_OF_INTEREST)), PDF_DELIMITERS))
PDF_ESCAPED_NAME = re.compile(rb"/([^%s]*#[^%s]*)" % (PDF_DELIMITERS, PDF_DELIMITERS))
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Tools escape few names (a font called /Arial#20Bold); so many are made to waste time.
PDF_MAX_ESCAPED_NAMES = 50_000
PDF_STREAM = re.compile(rb"stream(?:\r\n|\n)")   # a literal start: searched fast
# What all object streams of one PDF may inflate to before it counts as a bomb, and how
# many streams it may have (a scanned book of 1,000 pages has about 2,000; this bounds the
# time a file made of nothing but stream keywords takes).
PDF_INFLATE_LIMIT = 16 * MEGABYTE
PDF_INFLATE_PIECE = 4096
PDF_MAX_STREAMS = 50_000

SERVING_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "private, no-store",
}

EMPTY = _l("Filen är tom.")
NOT_IMAGE = _l("Filen är inte en bild i formatet JPEG, PNG eller WebP.")
NOT_PDF = _l("Filen är inte en PDF.")
NOT_IMAGE_OR_PDF = _l("Filen är inte en bild (JPEG, PNG eller WebP) eller en PDF.")
HEIC = _l("Bilder i formatet HEIC kan inte tas emot. Spara bilden som JPEG och försök igen "
          "(på en iPhone: Inställningar → Kamera → Format → Mest kompatibel).")
UNREADABLE_IMAGE = _l("Bilden går inte att läsa. Filen kan vara skadad.")
TOO_MANY_PIXELS = _l("Bilden har för många bildpunkter. Den får ha högst %(millions)s miljoner.",
                     millions=MAX_PIXELS // 1_000_000)
UNREADABLE_PDF = _l("PDF-filen går inte att läsa. Filen kan vara skadad.")
ACTIVE_PDF = _l("PDF-filen innehåller skript, bifogade filer eller andra aktiva delar och kan "
                "inte tas emot. Spara den som en ny PDF (till exempel med Skriv ut → Spara som "
                "PDF) och försök igen.")
UNCHECKABLE_PDF = _l("PDF-filen går inte att kontrollera, kanske för att den är krypterad. Spara "
                     "den som en ny PDF (till exempel med Skriv ut → Spara som PDF) och försök igen.")


class UploadRejected(ValueError):
    """A file that is refused; ``str(error)`` is the message for the citizen."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Accepted:
    """A file that was accepted and stored.  ``gps`` is ``(latitude, longitude)`` or None."""

    stored_name: str
    original_name: str
    content_type: str
    size: int
    gps: tuple | None = None


# --- accepting ------------------------------------------------------------------

def accept(file_storage, kinds, max_bytes):
    """Check, clean and store one uploaded file (a ``FileStorage``), or raise ``UploadRejected``."""
    allowed = allowed_types(kinds)
    data = read_bounded(file_storage.stream, max_bytes)
    content_type = detect_type(data, allowed, kinds)
    gps = None
    if content_type == PDF:
        check_pdf(data)
        content = data
    else:
        content, content_type, gps = clean_image(data, content_type)
    stored_name = store(content)
    return Accepted(stored_name, display_name(file_storage.filename, content_type),
                    content_type, len(content), gps)


def allowed_types(kinds):
    unknown = set(kinds) - KINDS.keys()
    if unknown or not kinds:
        raise ValueError(f"unknown kinds of file: {sorted(unknown) or 'none given'}")
    return {content_type for kind in kinds for content_type in KINDS[kind]}


def read_bounded(stream, max_bytes):
    """The whole file, read no further than one byte past the limit."""
    data = bytearray()
    while len(data) <= max_bytes:
        chunk = stream.read(min(READ_CHUNK, max_bytes + 1 - len(data)))
        if not chunk:
            break
        data += chunk
    if not data:
        raise UploadRejected(EMPTY)
    if len(data) > max_bytes:
        raise UploadRejected(too_large(max_bytes))
    return bytes(data)


def too_large(max_bytes):
    """"Larger than N MB", with N written the way the citizen's language writes numbers."""
    megabytes = round(max_bytes / MEGABYTE, 1)
    return LazyString(lambda: gettext("Filen är större än %(size)s MB.",
                                      size=format_decimal(megabytes)))


def sniff(head):
    """The content type the first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def is_heif(head):
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def detect_type(data, allowed, kinds):
    content_type = sniff(data[:16])
    if content_type in allowed:
        return content_type
    if "image" in kinds and is_heif(data[:16]):
        raise UploadRejected(HEIC)
    raise UploadRejected(not_allowed_message(kinds))


def not_allowed_message(kinds):
    if set(kinds) == {"pdf"}:
        return NOT_PDF
    if set(kinds) == {"image"}:
        return NOT_IMAGE
    return NOT_IMAGE_OR_PDF


# --- images ---------------------------------------------------------------------

def clean_image(data, content_type):
    """``(new file, its content type, GPS position)`` from the pixels alone."""
    output_type = PNG if content_type == PNG else JPEG
    with open_image(data, content_type) as image:
        decode(image, content_type)
        gps = gps_position(image)
        return encode(upright(image), output_type), output_type, gps


def open_image(data, content_type):
    """The image with only its header read, refused if it claims too many pixels."""
    try:
        image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[content_type]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRejected(TOO_MANY_PIXELS) from error
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise UploadRejected(UNREADABLE_IMAGE) from error
    if image.width * image.height > MAX_PIXELS:
        image.close()
        raise UploadRejected(TOO_MANY_PIXELS)
    return image


def decode(image, content_type):
    """Decode the pixels (a JPEG straight at a reduced scale when it is much larger than
    needed).  First of all: reading a PNG's EXIF decodes it, and must not hide an error."""
    if content_type == JPEG:
        image.draft(None, scaled_box(image.size, MAX_SIDE))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError, struct.error,
            Image.DecompressionBombError) as error:
        raise UploadRejected(UNREADABLE_IMAGE) from error


def upright(image):
    """The pixels turned as the EXIF orientation says, scaled down to ``MAX_SIDE``."""
    apply_orientation(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def scaled_box(size, longest):
    """``size`` scaled so that its long side is ``longest`` (never larger than it is)."""
    width, height = size
    factor = min(1.0, longest / max(width, height))
    return max(1, round(width * factor)), max(1, round(height * factor))


def apply_orientation(image):
    """Turn the pixels as the EXIF orientation says; an unreadable EXIF turns nothing."""
    try:
        ImageOps.exif_transpose(image, in_place=True)
    except EXIF_ERRORS:
        pass


# Errors that a malformed EXIF block can raise in Pillow: it only costs the position
# or the orientation, never the photo.
EXIF_ERRORS = (ArithmeticError, LookupError, TypeError, ValueError, OSError, SyntaxError,
               struct.error)


def gps_position(image):
    """``(latitude, longitude)`` in decimal degrees from the EXIF GPS block, or None."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        latitude = signed_degrees(gps.get(ExifTags.GPS.GPSLatitude),
                                  gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
        longitude = signed_degrees(gps.get(ExifTags.GPS.GPSLongitude),
                                   gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    except EXIF_ERRORS:
        return None
    return plausible_position(latitude, longitude)


def signed_degrees(parts, reference, negative_reference):
    """Degrees, minutes and seconds to decimal degrees, negative south or west."""
    degrees, minutes, seconds = (float(part) for part in parts)
    value = degrees + minutes / 60 + seconds / 3600
    if isinstance(reference, bytes):
        reference = reference.decode("ascii")
    return -value if reference.strip().upper() == negative_reference else value


def plausible_position(latitude, longitude):
    """The position rounded to about 10 cm, or None when it cannot be true.  0, 0 is
    what some cameras write when they have no fix."""
    if not (isfinite(latitude) and isfinite(longitude)):
        return None
    if abs(latitude) > 90 or abs(longitude) > 180 or (latitude, longitude) == (0, 0):
        return None
    return round(latitude, 6), round(longitude, 6)


def encode(image, content_type):
    """A new file from the pixels alone: no metadata of any kind is written."""
    clean = pixels_for_png(image) if content_type == PNG else pixels_for_jpeg(image)
    clean.info = {}   # Pillow writes some of what it read (profile, comment) unless told
    buffer = io.BytesIO()
    if content_type == PNG:
        clean.save(buffer, "PNG")
    else:
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def pixels_for_png(image):
    if image.mode in ("1", "L", "LA", "RGB", "RGBA", "I", "I;16"):
        return image
    if image.mode == "P" and not image.has_transparency_data:
        return image
    return image.convert("RGBA" if image.has_transparency_data else "RGB")


def pixels_for_jpeg(image):
    """L or RGB; a transparent image is laid on white, as a viewer would show it."""
    if image.mode in ("L", "RGB"):
        return image
    if not image.has_transparency_data:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


# --- PDF ------------------------------------------------------------------------

def check_pdf(data):
    """Refuse what is not a PDF with a page, and a PDF with active parts."""
    if not PDF_HEADER.match(data) or PDF_END not in data[-PDF_END_WINDOW:]:
        raise UploadRejected(UNREADABLE_PDF)
    names = pdf_names(data)
    for content in object_streams(data):
        names |= pdf_names(content)
    if b"Page" not in names:
        raise UploadRejected(UNREADABLE_PDF)
    if names & PDF_ACTIVE_NAMES:
        raise UploadRejected(ACTIVE_PDF)


def pdf_names(data):
    """The names of interest (``PDF_NAMES_OF_INTEREST``) in ``data``, also where they are
    written with escapes (``/J#61vaScript``)."""
    names = set(PDF_NAME_OF_INTEREST.findall(data))
    escaped = set()
    for count, match in enumerate(PDF_ESCAPED_NAME.finditer(data)):
        if count > PDF_MAX_ESCAPED_NAMES:
            raise UploadRejected(UNCHECKABLE_PDF)
        escaped.add(match[1])
    return names | ({decode_name(name) for name in escaped} & PDF_NAMES_OF_INTEREST)


def decode_name(name):
    return PDF_NAME_ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), name)


def stream_dictionaries(data):
    """``(dictionary, where the stream's data starts)`` for each stream.  The dictionary is
    taken as what lies between the stream keyword and the last ``endobj`` before it, or
    the stream before it: no byte is looked at twice, whatever the file holds."""
    previous_end = 0
    for count, match in enumerate(PDF_STREAM.finditer(data)):
        if count > PDF_MAX_STREAMS:
            raise UploadRejected(UNCHECKABLE_PDF)
        if data[match.start() - 3:match.start()] == b"end":
            continue   # the "endstream" of a stream
        object_start = max(previous_end, data.rfind(b"endobj", previous_end, match.start()))
        previous_end = match.end()
        yield data[object_start:match.start()], match.end()


def object_streams(data):
    """The inflated content of each object stream (where objects can hide compressed)."""
    budget = PDF_INFLATE_LIMIT
    for dictionary, start in stream_dictionaries(data):
        if b"ObjStm" not in dictionary and b"#" not in dictionary:
            continue   # the common case, decided without reading names
        names = pdf_names(dictionary)
        filters = names & PDF_FILTERS
        if b"ObjStm" not in names or not filters:
            continue   # not an object stream, or uncompressed and so read with the file
        if filters - {b"FlateDecode", b"Fl"}:
            raise UploadRejected(UNCHECKABLE_PDF)
        content = inflate(data, start, budget)
        budget -= len(content)
        yield content


def inflate(data, start, limit):
    """The zlib stream that starts at ``data[start]``, inflated; refused beyond ``limit``
    bytes.  It is fed in small pieces, so that only what it takes is read (it ends by
    itself, and its ``/Length`` may be a reference to another object)."""
    inflater = zlib.decompressobj()
    content = bytearray()
    view = memoryview(data)
    try:
        for position in range(start, len(data), PDF_INFLATE_PIECE):
            content += inflater.decompress(view[position:position + PDF_INFLATE_PIECE],
                                           limit + 1 - len(content))
            if len(content) > limit:
                raise UploadRejected(UNCHECKABLE_PDF)
            if inflater.eof:
                break
    except zlib.error as error:
        raise UploadRejected(UNCHECKABLE_PDF) from error
    return bytes(content)


# --- names ----------------------------------------------------------------------

def display_name(filename, content_type):
    """The citizen's file name, safe to show and to offer as a download name: no folders,
    control or direction characters, leading dots or characters Windows refuses, at
    most ``MAX_STEM`` characters before an extension that matches the content."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = UNSAFE_IN_NAMES.sub("_", " ".join(name.split())).strip(". ")
    stem, extension = os.path.splitext(name)
    if extension.lower() not in KNOWN_EXTENSIONS:
        stem, extension = name, ""
    if extension.lower() not in EXTENSIONS[content_type]:
        extension = EXTENSIONS[content_type][0]
    stem = stem[:MAX_STEM].rstrip(". ") or DEFAULT_STEM
    return stem + extension


# --- storage --------------------------------------------------------------------

def upload_dir():
    """``PORTAL_UPLOAD_DIR``, which must not lie where the portal serves static files."""
    folder = Path(current_app.config["PORTAL_UPLOAD_DIR"]).resolve()
    static = Path(current_app.static_folder).resolve()
    if folder == static or static in folder.parents:
        raise RuntimeError("PORTAL_UPLOAD_DIR must not be inside the static folder")
    return folder


def stored_path(stored_name):
    """The path of a stored file; only a name this module could have made is taken."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise ValueError("not the name of a stored file")
    return upload_dir() / stored_name[:2] / stored_name


def store(content):
    """Write ``content`` under a new random name, readable by the portal's user only."""
    stored_name = secrets.token_hex(16)
    path = stored_path(stored_name)
    path.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.mkdir(mode=0o700, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
    except OSError:
        path.unlink(missing_ok=True)
        raise
    return stored_name


def open_stored(stored_name):
    """The stored file, open for reading in binary.  ``FileNotFoundError`` when it is gone,
    ``ValueError`` for a name this module could not have made."""
    descriptor = os.open(stored_path(stored_name), os.O_RDONLY | os.O_NOFOLLOW)
    return os.fdopen(descriptor, "rb")


def delete_stored(stored_name):
    """Remove a stored file; one that is already gone is fine."""
    stored_path(stored_name).unlink(missing_ok=True)


def send_stored(stored_name, content_type, original_name, inline=False):
    """A response with the stored file, as an attachment named ``original_name`` unless
    ``inline`` (images only: they were encoded here).  404 when the file is gone."""
    if content_type not in EXTENSIONS:
        raise ValueError(f"not a content type of stored files: {content_type!r}")
    if inline and content_type not in KINDS["image"]:
        raise ValueError("only images may be shown inline")
    path = stored_path(stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=content_type, as_attachment=not inline,
                         download_name=original_name, etag=False)
    response.headers.update(SERVING_HEADERS)
    return response
