"""Charts as inline SVG, drawn on the server: no JavaScript, no chart service.

Each function takes a :class:`~portal.stats.Table` and returns SVG markup.  The
table shown next to the chart is its accessible version: the SVG is one image
(``role="img"``) whose name says so.  Several series differ in line style and
marker shape as well as colour, so the chart reads in black and white (print).
Every text that comes from a table is escaped.
"""
from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36
LEGEND_LINE = 20            # height of one legend entry under the plot
BAR_HEIGHT, BAR_GAP, BAR_LABELS = 20, 8, 200   # horizontal bars; BAR_LABELS: room for the categories
TICKS = 4
NUMERIC = {"int", "percent", "hours", "days", "money"}
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")


def numeric_columns(table):
    return [index for index, column in enumerate(table.columns) if index and column.kind in NUMERIC]


def scale_max(table, indexes):
    """The top of the value axis: 100 for percentages, else ``TICKS`` steps of a round size
    (1, 2, 5, 10, 20 …) that reach the largest value, so that every tick is a whole number."""
    if indexes and all(table.columns[i].kind == "percent" for i in indexes):
        return 100.0
    largest = max((row[i] or 0 for row in table.rows for i in indexes), default=0)
    step = 1
    while step * TICKS < largest:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return float(step * TICKS)


def x_position(index, count):
    """The x of the ``index``-th of ``count`` time buckets: the first at the left edge, the last at the right."""
    width = WIDTH - LEFT - RIGHT
    return LEFT + (width / 2 if count == 1 else index * width / (count - 1))


def y_position(value, top_value):
    height = HEIGHT - TOP - BOTTOM
    return TOP + height * (1 - (value or 0) / top_value)


def _svg(name, height, body):
    return Markup(f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
                  f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
                  f'<title>{escape(name)}</title>{body}</svg>')


def _value_axis(top_value, fmt):
    parts = []
    for tick in range(TICKS + 1):
        value = top_value * tick / TICKS
        y = y_position(value, top_value)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(value))}</text>')
    return "".join(parts)


def _marker(shape, x, y):
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z"/>'
    return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"/>'


def _target_band(target, top_value, label):
    low, high = target
    y_high, y_low = y_position(high, top_value), y_position(low, top_value)
    return (f'<rect class="target" x="{LEFT}" y="{y_high:.1f}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{y_low - y_high:.1f}"/>'
            f'<text class="target-label" x="{WIDTH - RIGHT - 4}" y="{y_high + 12:.1f}" text-anchor="end">'
            f'{escape(label)}</text>')


def _dash(style):
    """The line style of the ``style``-th series, as an attribute (solid: none)."""
    pattern = DASHES[style % len(DASHES)]
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def _series(table, column, style, top_value):
    count = len(table.rows)
    points = [(x_position(i, count), y_position(row[column], top_value)) for i, row in enumerate(table.rows)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash = _dash(style)
    markers = "".join(_marker(MARKERS[style % len(MARKERS)], x, y) for x, y in points)
    return (f'<g class="series series-{style}"><polyline points="{path}" fill="none"{dash}/>'
            f'<g class="markers">{markers}</g></g>')


def _legend(table, indexes, top):
    entries = []
    for style, column in enumerate(indexes):
        y = top + style * LEGEND_LINE
        entries.append(f'<g class="series series-{style}"><line x1="{LEFT}" y1="{y}" x2="{LEFT + 30}" y2="{y}"'
                       f'{_dash(style)}/>'
                       f'<g class="markers">{_marker(MARKERS[style % len(MARKERS)], LEFT + 15, y)}</g></g>'
                       f'<text x="{LEFT + 38}" y="{y + 4}">{escape(table.columns[column].label)}</text>')
    return "".join(entries)


def _empty(text, height):
    return f'<text class="empty" x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle">{escape(text)}</text>'


def line_chart(table, name, fmt=str, label=str, target_label="", empty_text=""):
    """Time series: the first column is the bucket (written by ``label``), each numeric
    column a line (its values written by ``fmt``)."""
    indexes = numeric_columns(table)
    top_value = scale_max(table, indexes)
    height = HEIGHT + LEGEND_LINE * len(indexes)
    parts = [_value_axis(top_value, fmt)]
    if table.target:
        parts.append(_target_band(table.target, top_value, target_label))
    if table.rows:
        count = len(table.rows)
        for i in {0, count // 2, count - 1}:
            parts.append(f'<text class="tick" x="{x_position(i, count):.1f}" y="{HEIGHT - BOTTOM + 18}" '
                         f'text-anchor="middle">{escape(label(table.rows[i][0]))}</text>')
        parts.extend(_series(table, column, style, top_value) for style, column in enumerate(indexes))
    else:
        parts.append(_empty(empty_text, HEIGHT))
    parts.append(_legend(table, indexes, HEIGHT))
    return _svg(name, height, "".join(parts))


def bar_width(value, top_value):
    return (WIDTH - BAR_LABELS - RIGHT - 60) * (value or 0) / top_value


def bar_chart(table, name, fmt=str, label=str, empty_text=""):
    """Categories as horizontal bars, each with its value written after it; the
    first column is the category, the first numeric column the value."""
    indexes = numeric_columns(table)
    if not table.rows or not indexes:
        return _svg(name, HEIGHT // 2, _empty(empty_text, HEIGHT // 2))
    column = indexes[0]
    top_value = scale_max(table, [column])
    parts = []
    for i, row in enumerate(table.rows):
        y = TOP + i * (BAR_HEIGHT + BAR_GAP)
        width = bar_width(row[column], top_value)
        parts.append(f'<text class="category" x="{BAR_LABELS - 8}" y="{y + 14}" text-anchor="end">'
                     f'{escape(label(row[0]))}</text>'
                     f'<rect class="bar" x="{BAR_LABELS}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}"/>'
                     f'<text class="value" x="{BAR_LABELS + width + 6:.1f}" y="{y + 14}">'
                     f'{escape(fmt(row[column]) if row[column] is not None else "–")}</text>')
    height = TOP + len(table.rows) * (BAR_HEIGHT + BAR_GAP) + 8
    return _svg(name, height, "".join(parts))
