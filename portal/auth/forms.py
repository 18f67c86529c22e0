from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Användarnamn"), validators=[
        InputRequired(_l("Skriv ditt användarnamn.")), Length(max=64)])
    password = PasswordField(_l("Lösenord"), validators=[
        InputRequired(_l("Skriv ditt lösenord.")), Length(max=256)])
    next = HiddenField()
