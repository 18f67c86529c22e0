/* The editors' forms, enhanced; without JavaScript everything works as plain HTML.
   - Search pickers: a search box above each multiple select marked class="picker"
     (content/editor/_picker.html) that narrows its options as the person types.
     Chosen options always stay in view.
   - Preview tabs (content/editor/_page_preview.html): one part of the preview at
     a time; the links above them choose which. */
(function () {
  "use strict";

  function searchBox(select) {
    var id = select.id + "-search";
    var label = document.createElement("label");
    label.className = "label";
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-picker-search");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("p");
    status.className = "hint";
    status.setAttribute("role", "status");
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !words || option.text.toLowerCase().indexOf(words) !== -1;
        option.hidden = !(match || option.selected);
        shown += match ? 1 : 0;
      });
      status.textContent = shown ? "" : select.getAttribute("data-picker-none");
    });
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(input, select);
    select.parentNode.insertBefore(status, select);
  }

  function tabs(nav) {
    var links = Array.prototype.slice.call(nav.querySelectorAll("a[href^='#']"));
    function show(chosen) {
      links.forEach(function (link) {
        var panel = document.getElementById(link.hash.slice(1));
        panel.hidden = link !== chosen;
        if (link === chosen) { link.setAttribute("aria-current", "true"); }
        else { link.removeAttribute("aria-current"); }
      });
    }
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(link);
      });
    });
    show(links[0]);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select.picker").forEach(searchBox);
    document.querySelectorAll(".preview-tabs").forEach(tabs);
  });
})();
