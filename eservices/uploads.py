"""Placeholder until the uploads module lands (same API)."""
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file

KINDS = ("image", "pdf")


class UploadRejected(ValueError):
    pass


@dataclass
class Accepted:
    stored_name: str
    original_name: str
    content_type: str
    size: int
    gps: tuple | None = None


def _folder():
    folder = Path(current_app.config["PORTAL_UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def accept(storage, kinds, max_bytes):
    data = storage.read(max_bytes + 1)
    if not data:
        raise UploadRejected("Filen är tom.")
    if len(data) > max_bytes:
        raise UploadRejected("Filen är för stor.")
    name = secrets.token_hex(16)
    (_folder() / name).write_bytes(data)
    content_type = "application/pdf" if data.startswith(b"%PDF-") else "image/jpeg"
    return Accepted(name, storage.filename, content_type, len(data))


def delete_stored(stored_name):
    (_folder() / stored_name).unlink(missing_ok=True)


def send_stored(stored_name, content_type, original_name, inline=False):
    return send_file(_folder() / stored_name, mimetype=content_type, as_attachment=not inline,
                     download_name=original_name)
