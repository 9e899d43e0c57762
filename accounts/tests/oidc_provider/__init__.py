"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit in its own
small Django project (these settings and urls, its own SQLite file), started as a process of its
own by `server.start_provider`. Nothing of the product runs in it."""
