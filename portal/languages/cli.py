"""``portal add-language``: the same operation as the admins' page."""
import click
from flask.cli import with_appcontext

from portal.languages.operations import ADD_LANGUAGE, COMMAND_LINE, LanguageRefused


@click.command("add-language")
@click.argument("code")
@click.option("--name", default="", help="Its name in the language itself; by default Unicode CLDR's.")
@click.option("--direction", default="", help="ltr or rtl; by default as CLDR says the language is written.")
@click.option("--analyzer", default="",
              help="A PyStemmer stemmer (finnish, arabic, …) or 'neutral'; by default the language's "
                   "stemmer when PyStemmer has one, else neutral.")
@click.option("--locale", default="",
              help="The Babel locale for dates and numbers; by default the code, or its first part.")
@click.option("--enable", is_flag=True, help="Offer the language to the public at once (its URL prefix).")
@with_appcontext
def add_language_command(code, name, direction, analyzer, locale, enable):
    """Register the language CODE (a BCP 47 tag such as fi, ar or sv-x-lattlast)."""
    try:
        added = ADD_LANGUAGE.execute(None, COMMAND_LINE, code=code, name=name, direction=direction,
                                     analyzer=analyzer, locale=locale, enable=enable)
    except LanguageRefused as refused:
        raise click.ClickException("\n".join(f"{field}: {message}"
                                             for field, message in refused.problems.items())) from None
    state = "enabled: served under" if added.enabled else "disabled; the admin page enables"
    click.echo(f"Added {added.code} ({added.name}): {added.direction}, locale {added.locale}, "
               f"analyzer {added.analyzer or 'neutral'}; {state} /{added.code}/.")
