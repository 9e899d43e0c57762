"""Catalogs (A5): the IT centre manages them in Django's admin; the forms read them."""

from accounts.rules import it_centre_manages

it_centre_manages(
    "catalogs",
    [
        "meetingform",
        "meetingtype",
        "meetingfield",
        "documenttype",
        "documentfield",
        "location",
        "documentregister",
    ],
)
