"""``portal export-catalog``: a language's merged catalogue as a .po file."""
import click
from babel.messages.pofile import write_po
from flask.cli import with_appcontext

from portal.catalogs import runtime
from portal.catalogs.languages import translatable_languages


def export(code, handle):
    """Write ``code``'s catalogue (its .po file, never the compiled .mo, with the
    browser's translations on top) as a .po file holding every message of the template."""
    catalog = runtime.build(code, runtime.saved_rows(code), compiled=False).catalog
    catalog.update(runtime.template(), no_fuzzy_matching=True)
    write_po(handle, catalog, width=76, sort_output=True)


@click.command("export-catalog")
@click.argument("code")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              help="The file to write (default: standard output).")
@with_appcontext
def export_catalog_command(code, output):
    """Write the interface catalogue of CODE, with the translations saved in the
    browser, as a .po file (to copy into translations/CODE/LC_MESSAGES/)."""
    if code not in translatable_languages():
        raise click.BadParameter(f"no catalogue to export for {code!r}; "
                                 f"one of: {', '.join(translatable_languages())}", param_hint="CODE")
    with click.open_file(output or "-", "wb") as handle:
        export(code, handle)
