"""Staff accounts, roles and login.  Citizens need no account."""
