"""Forms read from a page as a browser would send them: the security review's tests
(``test_review_findings.py``) and the load benchmark (``benchmarks/load_users.py``)
fill in and send the portal's real forms with them.  No app is needed to read a page."""
import re
from html.parser import HTMLParser


class PageForms(HTMLParser):
    """The forms of a page: action, fields (as a browser would send them) and buttons."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms, self._textarea, self._select = [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": [], "buttons": []})
            return
        if not self.forms:
            return
        form, name = self.forms[-1], attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button"):
                form["buttons"].append((name, attrs.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in attrs:
                form["fields"].append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "button" and name:
            form["buttons"].append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": [], "multiple": "multiple" in attrs}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["first"] = value if self._select["first"] is None else self._select["first"]
            if "selected" in attrs:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops the line break that follows <textarea>.
            self.forms[-1]["fields"].append((name, re.sub(r"^\r?\n", "", text)))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select_ = self._select
            chosen = select_["chosen"] or ([] if select_["multiple"] or select_["first"] is None
                                           else [select_["first"]])
            self.forms[-1]["fields"] += [(select_["name"], value) for value in chosen]
            self._select = None

    def having(self, field_or_button):
        """The first form with a field or button of this name."""
        for form in self.forms:
            if field_or_button in {n for n, _v in form["fields"]} | {n for n, _v in form["buttons"]}:
                return form
        raise AssertionError(f"no form with {field_or_button!r} on the page")
