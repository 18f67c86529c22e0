"""What the search layer indexes and returns, independent of the engine."""
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200  # characters; longer queries are cut (documented in the README)
PUBLIC = "public"
AGENT = "agent"


@dataclass
class SearchDocument:
    """One searchable item in one language.

    ``agent_text`` holds the agent layer (internal notes, call script): it is
    indexed but matched only in agent searches and never stored for display.
    """

    doc_type: str
    doc_id: int | str
    lang: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    keywords: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    department: str = ""
    agent_text: str = ""
    agent_url: str = ""

    @property
    def ref(self):
        return f"{self.doc_type}:{self.doc_id}"

    @property
    def key(self):
        return f"{self.ref}:{self.lang}"


@dataclass
class SearchRequest:
    q: str
    lang: str = "sv"
    scope: str = PUBLIC
    page: int = 1
    per_page: int = 10
    topic: str | None = None
    department: str | None = None
    doc_type: str | None = None

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
