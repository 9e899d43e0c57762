"""Links made once per process (core.links): the same as Django's reverse, made once for the
same view and arguments, and made again under another script prefix or other URLs."""

from django.http import HttpResponse
from django.urls import include, path, reverse, set_script_prefix, set_urlconf

from core import links
from core.links import link


def _view(request, pk):  # type: ignore[no-untyped-def]
    return HttpResponse()


# Other URLs for the same view name, as a test or a deployment under another URLconf has.
urlpatterns = [
    path("khac/", include(([path("<int:pk>/tra-loi/", _view, name="reply")], "attendance")))
]


def test_a_link_is_reverses_and_is_made_once(monkeypatch):
    for view, args in [
        ("attendance:reply", (12,)),
        ("voting:detail", (7,)),
        ("tasks:detail", (3,)),
    ]:
        assert link(view, *args) == reverse(view, args=list(args))
    made = []
    real = links.reverse
    monkeypatch.setattr(links, "reverse", lambda *a, **k: made.append(a) or real(*a, **k))
    links._kept_reversed.cache_clear()
    first = link("attendance:reply", 4242)
    assert link("attendance:reply", 4242) == first and len(made) == 1
    assert link("attendance:reply", 4243) != first and len(made) == 2


def test_another_prefix_or_other_urls_make_the_link_again():
    plain = link("attendance:reply", 5)
    try:
        set_script_prefix("/hop/")
        assert link("attendance:reply", 5) == "/hop" + plain
    finally:
        set_script_prefix("/")
    try:
        set_urlconf(__name__)
        assert link("attendance:reply", 5) == "/khac/5/tra-loi/"
    finally:
        set_urlconf(None)
    assert link("attendance:reply", 5) == plain


def test_every_templates_url_tag_keeps_its_links(monkeypatch):
    """`{% url %}` in any template is the kept one (a builtin in place of Django's): the same
    link as Django's tag, with keyword arguments and `as`, made once; a name that matches no
    URL still fails as Django's does, and `as` then gives nothing."""
    import pytest
    from django.template import Context, Engine, engines
    from django.urls import NoReverseMatch

    from core.templatetags.kept_url import KeptURLNode

    django_engine = engines["django"].engine
    text = (
        "{% url 'attendance:reply' pk %}|{% url 'voting:detail' pk=pk %}|"
        "{% url 'nowhere:none' as gone %}[{{ gone }}]|{% url 'tasks:detail' pk as t %}{{ t }}"
    )
    template = django_engine.from_string(text)
    assert any(isinstance(node, KeptURLNode) for node in template.nodelist)
    plain = Engine(libraries={}).from_string(text)  # Django's own tag
    context = {"pk": 31}
    kept_text = template.render(Context(context))
    assert kept_text == plain.render(Context(context))
    assert kept_text.startswith(reverse("attendance:reply", args=[31]))
    made = []
    real = links.reverse
    monkeypatch.setattr(links, "reverse", lambda *a, **k: made.append(a) or real(*a, **k))
    links._kept_reversed.cache_clear()
    template.render(Context(context))
    first = len(made)  # the name that matches nothing is asked each time
    template.render(Context(context))
    assert len(made) - first == 1
    with pytest.raises(NoReverseMatch):
        django_engine.from_string("{% url 'nowhere:none' %}").render(Context({}))
