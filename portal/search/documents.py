"""What the search layer indexes and returns, independent of the engine."""
import re
from dataclasses import dataclass, field
from datetime import datetime

MAX_QUERY_LENGTH = 200  # characters; longer queries are cut (documented in the README)
# Scopes of a search: citizens' public search, and the agents' search.
PUBLIC = "public"
AGENT = "agent"
# Audiences of a document: everyone, or staff only (agents' search).
EVERYONE = "everyone"
STAFF = "staff"
AUDIENCES = (EVERYONE, STAFF)


@dataclass
class SearchDocument:
    """One searchable item in one language.

    ``audience`` has no default: each provider says whether a citizen may find
    the document (``EVERYONE``) or only staff (``STAFF``), so that a new kind
    of document never reaches the public search by forgetting to say so.
    ``agent_text`` holds the agent layer (internal notes, call script): it is
    matched, and its passages shown as snippets, only in agent searches.
    ``expires_at`` (naive UTC) is when the item stops being visible: searches
    leave it out from that moment, before anything removes it from the index.

    Cases (ärenden) and anything else holding personal data are never
    indexed: they are found with database queries, which check who may read
    them and record that they did.
    """

    doc_type: str
    doc_id: int | str
    lang: str
    title: str
    url: str
    audience: str
    summary: str = ""
    body: str = ""
    keywords: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    department: str = ""
    agent_text: str = ""
    agent_url: str = ""
    expires_at: datetime | None = None

    def __post_init__(self):
        if self.audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {AUDIENCES}, not {self.audience!r}")

    @property
    def ref(self):
        return f"{self.doc_type}:{self.doc_id}"

    @property
    def key(self):
        return f"{self.ref}:{self.lang}"


def normalise(text):
    """Lower-case words separated by single spaces: how queries are compared."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


@dataclass
class SearchRequest:
    """A search.  ``at`` is the moment whose visibility applies (now, unless a test says)."""

    q: str
    lang: str = "sv"
    scope: str = PUBLIC
    page: int = 1
    per_page: int = 10
    topic: str | None = None
    department: str | None = None
    doc_type: str | None = None
    at: datetime | None = None

    def __post_init__(self):
        self.q = " ".join((self.q or "").split())[:MAX_QUERY_LENGTH]
        self.page = max(1, min(int(self.page or 1), 1000))
        self.per_page = max(1, min(int(self.per_page or 10), 50))

    def url_args(self, **changes):
        """The query-string arguments of this search with ``changes`` (None drops
        one), for links to other pages, filters or the same search without a filter."""
        args = {"q": self.q, "scope": self.scope if self.scope == AGENT else None,
                "topic": self.topic, "department": self.department, "type": self.doc_type,
                "page": self.page if self.page > 1 else None, **changes}
        return {name: value for name, value in args.items() if value}

    @property
    def filters(self):
        return {name: value for name, value in (
            ("topics", self.topic), ("department", self.department), ("doc_type", self.doc_type))
            if value}


@dataclass
class Hit:
    doc_type: str
    doc_id: str
    lang: str
    title: str
    url: str
    summary: str
    snippet: str
    topics: list[str]
    department: str
    score: float
    pinned: bool = False
    details: list[str] = field(default_factory=list)   # agents' search: see register_hit_details
    snippet_lang: str = ""      # the snippet's language, or the summary's when there is no snippet


@dataclass
class SearchResults:
    request: SearchRequest
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None     # "Menade du …?"
    corrected: bool = False           # hits are for the suggestion, the query had none
    unavailable: bool = False         # the index is missing or broken
    log_id: int | None = None         # the query-log row, for recording the clicked result

    @property
    def pages(self):
        return max(1, -(-self.total // self.request.per_page))
