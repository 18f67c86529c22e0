"""A table as CSV or XLSX, and the file name of either.

CSV: UTF-8 with a byte order mark, so that Excel opens å, ä and ö right, and
``;`` between fields, as Excel expects in Swedish settings (where ``,`` is the
decimal comma); numbers are written plainly (``12.5``) so that other programs
read them too.

XLSX (openpyxl): the header bold, numbers as numbers, percentages as numbers with
a percent format, dates as dates, columns wide enough for their text.
"""
import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_DELIMITER = ";"
FORMATS = {"int": "0", "percent": "0.0%", "hours": "0.0", "days": "0.0", "money": "#,##0",
           "date": "yyyy-mm-dd"}
MAX_WIDTH = 60


def filename(table, query, extension):
    return f"{table.key}_{query.start.isoformat()}_{query.end.isoformat()}.{extension}"


def to_csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in table.columns])
    writer.writerows([_csv_value(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def add_sheet(workbook, table):
    """``table`` as a new sheet of ``workbook`` (its title cut to Excel's 31 characters)."""
    sheet = workbook.create_sheet(_sheet_title(str(table.title), workbook))
    sheet.append([str(column.label) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(value, column.kind) for value, column in zip(row, table.columns)])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        if column.kind in FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = FORMATS[column.kind]
        widest = max((len(str(value)) for value in [column.label, *(row[index - 1] for row in table.rows)]),
                     default=8)
        sheet.column_dimensions[letter].width = min(widest + 2, MAX_WIDTH)
    return sheet


def _sheet_title(title, workbook):
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if char in '[]:*?/\\' else char for char in title)[:28] or "Tabell"
    taken, candidate, number = set(workbook.sheetnames), clean, 2
    while candidate in taken:
        candidate, number = f"{clean} {number}", number + 1
    return candidate


def _xlsx_value(value, kind):
    """Percentages are kept 0–100 in tables and 0–1 in Excel, where the format adds the %."""
    if kind == "percent" and value is not None:
        return value / 100
    return value


def to_xlsx(tables):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        add_sheet(workbook, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
