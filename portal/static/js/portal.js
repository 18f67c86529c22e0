/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // GOV.UK pattern: move focus to the error summary so screen readers announce it.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
    // innerText, not textContent: the copied answer keeps its lines (summary, then each fact).
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy-target"));
        var status = document.getElementById(button.getAttribute("data-copy-status"));
        navigator.clipboard.writeText(source.innerText.trim()).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied-text"); }
        });
      });
    });
    document.querySelectorAll("[data-live-search]").forEach(liveSearch);
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

  // ``data`` is the search box's data- attributes: the heading level of a hit
  // (data-hit-heading), and on a page with a form to keep, the text that says a
  // link opens in a new tab (data-new-tab) and the article checkboxes (data-link-*).
  function hitItem(hit, data) {
    var item = element("li", hit.pinned ? "result result-pinned" : "result");
    var title = element(data.hitHeading || "h2", "result-title");
    var link = element("a", "", hit.title);
    link.href = hit.follow_url;
    if (data.newTab) {
      link.target = "_blank";
      link.rel = "noopener";
      link.append(" " + data.newTab);
    }
    title.appendChild(link);
    var labels = [hit.type_label].concat(hit.topic_labels, hit.department_label || []);
    var meta = element("p", "result-meta", labels.join(" · "));
    if (hit.pinned) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(element("strong", "", data.pinned));
    }
    var snippet = element("p", "result-snippet");
    snippet.lang = hit.snippet_lang;
    (hit.snippet ? snippetNodes(hit.snippet) : [document.createTextNode(hit.summary)])
      .forEach(function (node) { snippet.appendChild(node); });
    item.append(title, meta);
    if (hit.details.length) { item.appendChild(detailList(hit.details)); }
    item.appendChild(snippet);
    if (data.linkName && hit.type === "article") { item.appendChild(linkControl(hit, data)); }
    return item;
  }

  // The ROSA level and whether there is a call script or checklist (_hits.html's hit_details).
  function detailList(details) {
    var list = element("ul", "result-details");
    details.forEach(function (label) { list.appendChild(element("li", "tag", label)); });
    return list;
  }

  function checkbox(name, value, id) {
    var input = element("input");
    input.type = "checkbox";
    input.name = name;
    input.value = value;
    input.id = id;
    return input;
  }

  // The checkbox that links an article hit to the form's contact (the server
  // draws the same); an article the form links already just says so.
  function linkControl(hit, data) {
    var linked = document.getElementById(data.linkedList);
    if (linked.querySelector("input[value='" + CSS.escape(hit.id) + "']:checked")) {
      return element("p", "linked-note", data.linkedNote);
    }
    var box = element("div", "checkbox");
    var input = checkbox(data.linkName, hit.id, "hit-article-" + hit.id);
    input.dataset.title = hit.title;
    var label = element("label", "", data.linkLabel);
    label.htmlFor = input.id;
    label.appendChild(element("span", "visually-hidden", ": " + hit.title));
    box.append(input, " ", label);
    return box;
  }

  // Articles ticked among the hits move to the form's list of linked articles
  // before the hits are replaced, so that a new search does not drop them.
  function keepLinked(list, data) {
    var linked = document.getElementById(data.linkedList);
    list.querySelectorAll("input[name='" + data.linkName + "']:checked").forEach(function (ticked) {
      var item = element("li", "checkbox");
      var input = checkbox(ticked.name, ticked.value, "linked-article-" + ticked.value);
      input.checked = true;
      var label = element("label", "", ticked.dataset.title);
      label.htmlFor = input.id;
      item.append(input, " ", label);
      linked.appendChild(item);
    });
    document.getElementById(data.linkedEmpty).hidden = linked.children.length > 0;
  }

  // Search as you type (agents): results replaced in place, the count
  // announced through a status region, arrow keys move between results.
  // ``box`` is a search form, or the search part of a larger form (whose
  // address for a search is then data-action).
  function liveSearch(box) {
    var data = box.dataset;
    var action = data.action || box.action;
    var input = box.querySelector("input[type=search]");
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
      if (!suggestion) { return; }
      suggestion.textContent = "";
      suggestion.hidden = !found.suggestion || found.corrected;
      if (suggestion.hidden) { return; }
      var link = element("a", "", found.suggestion);
      link.href = action + "?q=" + encodeURIComponent(found.suggestion);
      suggestion.append(data.didYouMean + " ", link, "?");
    }

    function render(found) {
      if (data.linkName) { keepLinked(list, data); }
      list.replaceChildren.apply(list, found.hits.map(function (hit) {
        return hitItem(hit, data);
      }));
      status.textContent = found.status;
      showSuggestion(found);
      if (allResults) {
        allResults.hidden = found.total <= found.hits.length;
        allResults.href = allResults.href.split("?")[0] + "?" +
          new URLSearchParams({q: found.query, scope: "agent"}).toString();
      }
      history.replaceState(null, "", action + "?q=" + encodeURIComponent(found.query));
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
      if (data.linkName) { keepLinked(list, data); }
      list.replaceChildren();
      status.textContent = "";
      if (suggestion) { suggestion.hidden = true; }
      if (allResults) { allResults.hidden = true; }
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
