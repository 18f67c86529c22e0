"""Open311's routes by audience: ``api`` for clients, ``admin`` for administrators."""
