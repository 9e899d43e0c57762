"""Panels other apps put into the viewer page (the notes panel, B11). The viewer is the lower
floor: a higher app registers its template in its AppConfig.ready(), the viewer only includes it."""

PANELS: list[str] = []


def register(template_name: str) -> None:
    """`template_name` is included inside <aside id="viewer-notes"> with the viewer's context."""
    if template_name not in PANELS:
        PANELS.append(template_name)


def registered() -> list[str]:
    return list(PANELS)
