"""A small cache of search results, keyed by what decides them.

In a crisis many people search for the same few words ("vatten",
"skola stängd") within minutes.  A result page depends only on the request,
the synonyms and best bets passed with it, the index as it is (its
generation directory and the generation of its table of contents, which
every write and rebuild changes, in this process or another) and which
documents have expired by the time of the search.  The key holds all of
them, so an entry is never stale: after a change its key is simply no longer
asked for and it ages out.  Entries are copied on the way in and out, since
callers add the query-log id and agents' details to the results.
"""
import copy
import threading
from collections import OrderedDict

RESULTS_KEPT = 256   # result pages; each holds ten hits with their snippets (a few KB)


class ResultCache:
    def __init__(self, size=RESULTS_KEPT):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, request):
        """A copy of the results stored under ``key``, for ``request``, or None."""
        with self._lock:
            results = self._entries.get(key)
            if results is None:
                return None
            self._entries.move_to_end(key)
        results = copy.deepcopy(results)
        results.request = request
        return results

    def put(self, key, results):
        if not self.size:
            return
        results = copy.deepcopy(results)
        with self._lock:
            self._entries[key] = results
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
