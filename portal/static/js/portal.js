/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // GOV.UK pattern: move focus to the error summary so screen readers announce it.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy-target"));
        var status = document.getElementById(button.getAttribute("data-copy-status"));
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied-text"); }
        });
      });
    });
    document.querySelectorAll("form[data-live-search]").forEach(liveSearch);
  });

  var TYPING_DELAY = 250;   // ms after the last keystroke before searching
  var SETTLED_DELAY = 1500; // ms after which the query counts as a search in the statistics

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // The server sends snippets as text with <mark> only; rebuild them as DOM
  // nodes instead of trusting innerHTML.
  function snippetNodes(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    return Array.prototype.map.call(parsed.childNodes, function (node) {
      return node.nodeName === "MARK" ? element("mark", "", node.textContent)
                                      : document.createTextNode(node.textContent);
    });
  }

  function hitItem(hit, pinnedLabel) {
    var item = element("li", hit.pinned ? "result result-pinned" : "result");
    var title = element("h2", "result-title");
    var link = element("a", "", hit.title);
    link.href = hit.follow_url;
    title.appendChild(link);
    var labels = [hit.type_label].concat(hit.topic_labels, hit.department_label || []);
    var meta = element("p", "result-meta", labels.join(" · "));
    if (hit.pinned) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(element("strong", "", pinnedLabel));
    }
    var snippet = element("p", "result-snippet");
    (hit.snippet ? snippetNodes(hit.snippet) : [document.createTextNode(hit.summary)])
      .forEach(function (node) { snippet.appendChild(node); });
    item.append(title, meta, snippet);
    return item;
  }

  // Search as you type (agents): results replaced in place, the count
  // announced through a status region, arrow keys move between results.
  function liveSearch(form) {
    var data = form.dataset;
    var input = form.querySelector("input[type=search]");
    var list = document.getElementById(data.results);
    var status = document.getElementById(data.status);
    var suggestion = document.getElementById(data.suggestion);
    var allResults = document.getElementById(data.allResults);
    var timers = [];
    var pending = null;

    function apiUrl(q, logged) {
      var params = new URLSearchParams({q: q, lang: data.lang, scope: "agent", log: logged ? "1" : "0"});
      return data.endpoint + "?" + params.toString();
    }

    function showSuggestion(found) {
      suggestion.textContent = "";
      suggestion.hidden = !found.suggestion || found.corrected;
      if (suggestion.hidden) { return; }
      var link = element("a", "", found.suggestion);
      link.href = form.action + "?q=" + encodeURIComponent(found.suggestion);
      suggestion.append(data.didYouMean + " ", link, "?");
    }

    function render(found) {
      list.replaceChildren.apply(list, found.hits.map(function (hit) {
        return hitItem(hit, data.pinned);
      }));
      status.textContent = found.status;
      showSuggestion(found);
      allResults.hidden = found.total <= found.hits.length;
      allResults.href = allResults.href.split("?")[0] + "?" +
        new URLSearchParams({q: found.query, scope: "agent"}).toString();
      history.replaceState(null, "", form.action + "?q=" + encodeURIComponent(found.query));
    }

    // The settled query is logged; its links then carry the log entry, but the
    // list is not rebuilt, so the result the agent may have moved to keeps focus.
    function relink(found) {
      var links = list.querySelectorAll(".result-title a");
      found.hits.forEach(function (hit, i) { if (links[i]) { links[i].href = hit.follow_url; } });
    }

    function run(q, logged) {
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(apiUrl(q, logged), {credentials: "same-origin", signal: pending.signal,
                                headers: {Accept: "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (found) { (logged ? relink : render)(found); })
        .catch(function (error) {
          if (error.name === "AbortError") { return; }
          status.textContent = data.failed;
          console.error(error);
        });
    }

    function clear() {
      list.replaceChildren();
      status.textContent = "";
      suggestion.hidden = true;
      allResults.hidden = true;
    }

    input.addEventListener("input", function () {
      timers.forEach(clearTimeout);
      var q = input.value.trim();
      if (q.length < 2) { clear(); return; }
      timers = [setTimeout(function () { run(q, false); }, TYPING_DELAY),
                setTimeout(function () { run(q, true); }, SETTLED_DELAY)];
    });

    input.addEventListener("keydown", function (event) {
      var first = list.querySelector(".result-title a");
      if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      }
    });

    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll(".result-title a"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) { return; }
      var target = {ArrowDown: links[at + 1], ArrowUp: links[at - 1] || input, Escape: input}[event.key];
      if (target) {
        event.preventDefault();
        target.focus();
      }
    });
  }
})();
