"""Strings of the libraries we use that ship no Vietnamese translation.

Django's own Vietnamese catalog misses some newer admin strings, and django-auditlog has none.
Listing the English originals here lets `make makemessages` put them in our catalog, whose
translations win over the libraries' (LOCALE_PATHS comes first). Nothing imports this module; it
exists for extraction.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN = (
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Messages"),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("Enter a complete value."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
)
ADMIN_PLURAL = (
    ngettext_lazy("entry", "entries", 1),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    ),
)

AUDITLOG = (
    gettext_noop("Action"),
    gettext_noop("Audit log"),
    gettext_noop("Audit log: %s"),
    gettext_noop("Changes"),
    gettext_noop("Click to filter by records with this correlation id"),
    gettext_noop("Correlation ID"),
    gettext_noop("Created {repr:s}"),
    gettext_noop("Created"),
    gettext_noop("Deleted {repr:s}"),
    gettext_noop("Field"),
    gettext_noop("From"),
    gettext_noop("Logged {repr:s}"),
    gettext_noop("Objects"),
    gettext_noop("Relationship"),
    gettext_noop("Resource Type"),
    gettext_noop("Resource"),
    gettext_noop("To"),
    gettext_noop("Updated {repr:s}"),
    gettext_noop("User"),
    gettext_noop("View"),
    gettext_noop("access"),
    gettext_noop("create"),
    gettext_noop("delete"),
    gettext_noop("update"),
    gettext_noop("log entries"),
    gettext_noop("log entry"),
    gettext_noop("action"),
    gettext_noop("actor"),
    gettext_noop("actor email"),
    gettext_noop("additional data"),
    gettext_noop("change message"),
    gettext_noop("content type"),
    gettext_noop("object id"),
    gettext_noop("object pk"),
    gettext_noop("object representation"),
    gettext_noop("remote address"),
    gettext_noop("remote port"),
    gettext_noop("timestamp"),
    gettext_noop("No field changes"),
    gettext_noop("No log entries found."),
    gettext_noop("system"),
)
