"""The two formats of GeoReport v2: XML (required by the spec) and JSON.

A response is built once as plain data (dicts, lists, text, numbers, booleans,
None) and written in the format the URL's suffix asked for.  XML is built
with ElementTree, which escapes every text, and characters XML 1.0 cannot
hold (control characters a citizen may have pasted) are dropped.  A list
becomes repeated elements named as the spec names them (``services`` holds
``service`` elements); in JSON it stays an array, as the spec shows.
"""
import json
import xml.etree.ElementTree as ET

from flask import Response

from portal.html import without_control_characters
from portal.i18n import current_language

FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
ITEM_TAGS = {"services": "service", "service_requests": "request", "errors": "error",
             "attributes": "attribute", "values": "value", "endpoints": "endpoint",
             "formats": "format"}


def respond(fmt, root, body, status=200):
    """``body`` as a response in ``fmt``; ``root`` names the XML document element."""
    text = json.dumps(body, ensure_ascii=False) if fmt == "json" else to_xml(root, body)
    response = Response(text, status=status, content_type=CONTENT_TYPES[fmt])
    response.headers["Content-Language"] = current_language()
    response.vary.add("Accept-Language")
    return response


def to_xml(root, body):
    element = ET.Element(root)
    _fill(element, body)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")


def _fill(element, value):
    if isinstance(value, dict):
        for name, item in value.items():
            _fill(ET.SubElement(element, name), item)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, ITEM_TAGS[element.tag]), item)
    else:
        element.text = _text(value)


def _text(value):
    """None as an empty element; booleans as the spec writes them."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return without_control_characters(str(value))


def errors(fmt, status, messages):
    """The spec's ``errors/error`` with ``code`` (the HTTP status) and ``description``."""
    return respond(fmt, "errors", [{"code": status, "description": str(message)} for message in messages],
                   status)
