"""The signed-in search finds the same meetings in the same order whichever way it reads them
(meetings.search): walking the start index and testing each meeting, or gathering a word's
meetings through its indexes; the title matches first, each group newest first, paged across
the two groups without sorting either."""

import json
import time
from collections import OrderedDict

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import kept
from accounts.models import User
from core.paging import Listed, Window, read
from doctext.selectors import ReadableTexts, search_meetings
from documents.models import Document
from meetings import search as search_module
from meetings.models import Receipt
from meetings.search import Figures, _figures
from meetings.selectors import meetings_visible_to, with_list_data
from meetings.tests.factories import make_document, make_meeting, publish
from portal.generate import Size, generate

from .test_search import set_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def found_by_words(role_users, department) -> dict[str, object]:
    """Meetings holding "Điện Biên" in their title, agenda or documents, a day apart."""
    clerk = role_users["clerk"]

    def meeting(title: str, day: int, *, agenda: str = "Nội dung khác.", draft: bool = False):
        made = make_meeting(by=clerk, units=[department], title=title, days_ahead=day)
        made.agenda = agenda
        made.save()
        return made if draft else publish(made, clerk)

    def document(of, text: str, *, restricted: bool = False) -> None:
        made = make_document(of, clerk, "Tờ trình.pdf")
        set_text(made, text)
        Document.objects.filter(pk=made.pk).update(restricted=restricted)

    made = {
        "title": meeting("Điện Biên: đường tỉnh", 1),
        "agenda": meeting("Giao ban", 2, agenda="Bàn về Điện Biên."),
        "split": meeting("Họp Điện lực", 3),
        "document": meeting("Họp tháng", 4),
        "draft": meeting("Điện Biên, dự thảo", 5, draft=True),
        "restricted": meeting("Họp riêng", 6),
        "newest": meeting("Điện Biên mới", 7),
        "unrelated": meeting("Không liên quan", 8),
    }
    document(made["split"], "Biên bản kỳ trước")
    document(made["document"], "Đường Điện Biên Phủ")
    document(made["restricted"], "Điện Biên, hạn chế", restricted=True)
    return made


def _found(user, q: str, walk: bool | None) -> list[int]:
    meetings = with_list_data(meetings_visible_to(user), user)
    return [m.pk for m in read(search_meetings(meetings, {"q": q}, user, walk=walk), 0, 100)]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # The organiser: its draft, and the restricted document it reads.
        ("clerk", ["newest", "draft", "title", "restricted", "document", "split", "agenda"]),
        ("member", ["newest", "title", "document", "split", "agenda"]),
    ],
)
def test_both_ways_find_the_same_meetings_title_matches_first(
    role_users, found_by_words, role, expected
):
    user = role_users[role]
    names = {m.pk: name for name, m in found_by_words.items()}
    for walk in (True, False, None):  # None: as the statistics say (the index on SQLite)
        assert [names[pk] for pk in _found(user, "điện biên", walk)] == expected, walk


@pytest.mark.parametrize("q", ["họp", "dien", "bien ban", "duong dien", "tháng 12", "zzz"])
def test_both_ways_agree_on_any_words(role_users, found_by_words, q):
    for role in ("clerk", "member", "outsider"):
        user = role_users[role]
        assert _found(user, q, walk=True) == _found(user, q, walk=False), (role, q)


@pytest.mark.parametrize("walk", [True, False])
def test_pages_run_across_the_title_matches_and_the_others(role_users, found_by_words, walk):
    clerk = role_users["clerk"]
    meetings = with_list_data(meetings_visible_to(clerk), clerk)
    found = search_meetings(meetings, {"q": "điện biên"}, clerk, walk=walk)
    names = {m.pk: name for name, m in found_by_words.items()}
    pages = [Window(found, number, 2) for number in (1, 2, 3, 4)]
    assert [[names[m.pk] for m in page] for page in pages] == [
        ["newest", "draft"],
        ["title", "restricted"],  # the last title match, then the first of the others
        ["document", "split"],  # past the title matches: counted up to the offset
        ["agenda"],
    ]
    assert [page.count for page in pages] == [7, 7, 7, 7]
    assert pages[2].num_pages == 4
    assert Window(found, 9, 2).number == 1  # past the end: the first page
    bounded = Window(found, 1, 2, count_limit=4)
    assert bounded.count_more and bounded.count == 5  # counted up to the limit, not further


@pytest.mark.parametrize("walk", [True, False])
def test_a_restricted_document_is_found_by_its_audience_either_way(
    role_users, found_by_words, walk
):
    # Restricted to every invitation: the invited unit's leader and unit clerk answer for it.
    restricted = found_by_words["restricted"].pk
    for role in ("unit_leader", "unit_clerk", "clerk"):
        assert _found(role_users[role], "han che", walk) == [restricted], role
    assert _found(role_users["member"], "han che", walk) == []


@pytest.mark.parametrize("q", ["điện biên", "dien bien", "bien ban", "zzz"])
def test_a_count_reading_the_titles_through_their_index_counts_the_same(
    role_users, found_by_words, q
):
    """Counting, the titles' part is read unordered through their index when the statistics say
    few titles hold the words though many meetings do (meetings.search.COUNT_GATHER): the count
    is the one the walk gives, at every limit."""
    clerk = role_users["clerk"]
    meetings = with_list_data(meetings_visible_to(clerk), clerk)
    expected = len(_found(clerk, q, walk=True))
    for limit in (1, 2, 4, 100):
        found = search_meetings(meetings, {"q": q}, clerk)
        words = found.words
        # Figures that walk the others (every word in 900 of 1 000 meetings' fields) and gather
        # the titles (each word in 10 titles).
        found.figures = Figures([10, 900, 0] * len(words), words, 1000, documents=True)
        parts = found.counted_parts(limit + 1, ("start_at",))
        assert [bool(part.query.order_by) for part in parts] == [False, True]
        walked = search_meetings(meetings, {"q": q}, clerk, walk=True)
        assert Window(found, 1, 1, count_limit=limit).count == min(expected, limit + 1), limit
        assert Window(walked, 1, 1, count_limit=limit).count == min(expected, limit + 1), limit


def test_a_searchs_statistics_are_asked_once_for_the_same_words(
    role_users, found_by_words, monkeypatch
):
    """The statistics' figures of a set of words (one EXPLAIN) are kept in the cache a while
    (meetings.search.FIGURES_SECONDS): the same words searched again, by anyone, ask nothing of
    the statistics and have the same figures; other words, or the documents left out (the public
    search), ask their own."""
    if connection.vendor != "postgresql":
        pytest.skip("the statistics are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    asked: list[list[str]] = []
    real = search_module._figures
    monkeypatch.setattr(
        search_module, "_figures", lambda words, *a: asked.append(words) or real(words, *a)
    )

    def figures(user, q):
        meetings = with_list_data(meetings_visible_to(user), user)
        before = len(asked)
        found = search_meetings(meetings, {"q": q}, user)
        return found.figures, len(asked) - before

    first, explained = figures(role_users["clerk"], "điện biên")
    assert first is not None and explained == 1
    again, explained = figures(role_users["member"], "dien bien")
    assert explained == 0
    assert (again.titles, again.fields, again.documents, again.total) == (
        first.titles,
        first.fields,
        first.documents,
        first.total,
    )
    _other, explained = figures(role_users["clerk"], "bien ban")
    assert explained == 1
    public = search_module.kept_figures(["dien", "bien"], "search_public", None)
    assert public is not None and public.documents == {"dien": 0, "bien": 0}
    cache.clear()
    _first, explained = figures(role_users["clerk"], "điện biên")
    assert explained == 1


def test_the_statistics_of_several_words_are_each_words_own():
    """The statistics' branches are built once for a stand-in word and each word is put in its
    place (meetings.search._figures): asked together, each word has the figures it has asked
    alone, a word with LIKE's own characters too."""
    if connection.vendor != "postgresql":
        pytest.skip("the statistics are PostgreSQL's")
    generate(
        Size(meetings=600, units=20, per_meeting=2, sign_ins=0, showcase=False),
        progress=lambda *args: None,
        count_figures=False,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    documents = ReadableTexts(User.objects.get(username="vanthu"))
    words = ["giao", "hop", "chuyen", "duong", "100%_x"]
    together = _figures(words, "search_all", documents)
    assert together is not None
    for word in words:
        alone = _figures([word], "search_all", documents)
        assert alone is not None
        assert (together.titles[word], together.fields[word], together.documents[word]) == (
            alone.titles[word],
            alone.fields[word],
            alone.documents[word],
        ), word
        assert together.total == alone.total
    # Asked often, the statistics are never a prepared statement, which PostgreSQL may come to
    # plan once for any words, every word then estimated alike.
    for _ in range(8):
        _figures(words, "search_all", documents)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'EXPLAIN%%'"
        )
        assert cursor.fetchone()[0] == 0
    # The words differ in how many meetings hold them: each was asked with its own pattern.
    assert len({together.fields[word] for word in words}) > 1
    assert len({together.documents[word] for word in words}) > 1
    # The documents' figure is estimated from the texts alone (ReadableTexts.estimated_sql): no
    # fewer than the planner estimates the account's readable documents to be, for each word.
    for word in words:
        sql, params = documents.holding_sql(word)
        with connection.cursor() as cursor:
            cursor.cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params, prepare=False)
            found = cursor.fetchone()[0]
        plan = json.loads(found) if isinstance(found, str) else found
        assert together.documents[word] >= plan[0]["Plan"]["Plan Rows"] > 0, word


@pytest.mark.parametrize("q", ["điện biên", "bien ban", "dien zzz"])
def test_a_page_counts_its_title_matches_first_and_reads_few_through_their_index(
    role_users, found_by_words, q
):
    """Words that many meetings hold but, the statistics say, perhaps few titles together: the
    page counts the title matches through their index first (meetings.search.TITLES_PROBED),
    reads them gathered when few, and the count of results takes that count; the pages and the
    count are those of the walk."""
    clerk = role_users["clerk"]
    meetings = with_list_data(meetings_visible_to(clerk), clerk)
    walked = search_meetings(meetings, {"q": q}, clerk, walk=True)
    found = search_meetings(meetings, {"q": q}, clerk)
    words = found.words
    # Every word in 900 of 1 000 meetings' fields (walked) and in 200 titles: each word's
    # titles too many to gather for a page of two, together (the planner's product) few.
    found.figures = Figures([200, 900, 0] * len(words), words, 1000, documents=True)
    for number in (1, 2, 3, 4):
        assert [m.pk for m in Window(found, number, 2)] == [
            m.pk for m in Window(walked, number, 2)
        ], number
    titles = found._titles
    in_titles = [m.pk for m in read(walked, 0, 100) if all(w in m.search_title for w in words)]
    assert titles == len(in_titles)
    # Gathered through the titles' index (LIKE, not each title's strpos) in the count that
    # decided the way, with their ids in the list's order: the page's title part reads its
    # rows by those ids, and does not ask the index again.
    part = found.parts(3)[0]
    assert isinstance(part, Listed) and part.ids == in_titles
    with CaptureQueriesContext(connection) as asked:
        assert [m.pk for m in part[0:2]] == in_titles[0:2]
    assert len(asked) == (1 if in_titles else 0)
    assert all("LIKE" not in query["sql"].upper() for query in asked)
    page = Window(found, 1, 2, count_limit=3)
    parts = found.counted_parts(4, ("start_at",))
    assert isinstance(parts[0], int) and parts[0] == min(titles, 4)
    assert page.count == Window(walked, 1, 2, count_limit=3).count


@pytest.mark.parametrize("q", ["điện biên", "bien ban"])
def test_a_word_in_most_titles_is_tested_in_the_titles_the_others_find(
    role_users, found_by_words, q
):
    """Counting the title matches, a word the statistics put in more than half the titles is
    not looked up in the titles' index but tested in each title the other words found
    (meetings.search.COMMON_IN_TITLES): the count, the ids and the pages are those of the walk."""
    clerk = role_users["clerk"]
    meetings = with_list_data(meetings_visible_to(clerk), clerk)
    walked = search_meetings(meetings, {"q": q}, clerk, walk=True)
    found = search_meetings(meetings, {"q": q}, clerk)
    common, *others = found.words
    # The first word in 600 of 1 000 titles, the other in 60: too many to gather for a page of
    # two, together (the planner's product) few enough to count through the index.
    rows = [n for word in found.words for n in (600 if word == common else 60, 900, 0)]
    found.figures = Figures(rows, found.words, 1000, documents=True)
    assert found._probed_words() == (others, [common])
    with CaptureQueriesContext(connection) as asked:
        pages = [[m.pk for m in Window(found, number, 2)] for number in (1, 2, 3)]
    assert pages == [[m.pk for m in Window(walked, number, 2)] for number in (1, 2, 3)]
    probe = asked[0]["sql"].upper()
    assert probe.count("LIKE") == len(others)
    assert ("STRPOS" if connection.vendor == "postgresql" else "INSTR") in probe
    in_titles = [
        m.pk for m in read(walked, 0, 100) if all(w in m.search_title for w in found.words)
    ]
    assert found._titles == len(in_titles)
    assert found._title_ids == in_titles


def test_a_search_whose_titles_were_many_walks_them_when_asked_again(
    role_users, found_by_words, monkeypatch
):
    """A search whose title matches were counted past TITLES_PROBED is remembered by who asked
    it, its words and filters (meetings.search.DENSE_SECONDS): asked again, its page and its
    count walk the titles without counting them through the index first, and read the same
    pages and count. Another account, other filters or a minute later count them again."""
    monkeypatch.setattr(search_module, "TITLES_PROBED", 2)  # "điện biên": in 3 of its titles
    monkeypatch.setattr(search_module, "_dense", OrderedDict())
    probes: list[object] = []
    real_ids_to = search_module.ids_to
    monkeypatch.setattr(
        search_module, "ids_to", lambda *a, **k: probes.append(a) or real_ids_to(*a, **k)
    )

    def asked(user, filters=None):
        meetings = with_list_data(meetings_visible_to(user), user)
        found = search_meetings(meetings, {"q": "điện biên", **(filters or {})}, user)
        # Each word in 60 of 1 000 titles and 900 meetings' fields: walked, and the titles
        # together (the planner's product) few enough to count through their index.
        found.figures = Figures([60, 900, 0] * len(found.words), found.words, 1000, documents=True)
        pages = [[m.pk for m in Window(found, n, 1, count_limit=2)] for n in (1, 2, 3, 4)]
        return pages, Window(found, 1, 1, count_limit=2).count, found

    clerk = role_users["clerk"]
    first_pages, first_count, first = asked(clerk)
    assert first._titles == 3 and len(probes) == 1
    again_pages, again_count, again = asked(clerk)
    assert (again_pages, again_count) == (first_pages, first_count)
    assert again._titles is None and len(probes) == 1  # not counted through the index
    # The same walked: the pages and the count of the walk itself.
    meetings = with_list_data(meetings_visible_to(clerk), clerk)
    walked = search_meetings(meetings, {"q": "điện biên"}, clerk, walk=True)
    assert first_pages == [[m.pk for m in Window(walked, n, 1)] for n in (1, 2, 3, 4)]
    assert first_count == Window(walked, 1, 1, count_limit=2).count
    # Another account, other filters: counted again.
    asked(role_users["member"])
    assert len(probes) == 2
    asked(clerk, {"co_tai_lieu": True})
    assert len(probes) == 3
    # A minute later: counted again.
    later = time.monotonic() + search_module.DENSE_SECONDS + 1
    monkeypatch.setattr(search_module, "monotonic", lambda: later)
    asked(clerk)
    assert len(probes) == 4


def test_a_page_of_title_matches_read_by_id_is_the_list_page(role_users, found_by_words):
    """The title matches whose ids their count read are read by id through the query kept per
    shape of account (meetings.selectors.listed_by_id): for every shape of the cast, the same
    rows, columns and "opened" marks as listed_to's own query of them, and the meeting list's
    search pages the same as the walk's."""
    from meetings.selectors import listed_by_id, listed_to
    from portal.tests.test_todo import cast_of_shapes

    cast = cast_of_shapes(role_users)
    ids = [m.pk for m in found_by_words.values()]
    Receipt.objects.create(meeting=found_by_words["title"], user=role_users["clerk"])
    columns = ("pk", "title", "start_at", "location_id", "organiser_unit_id", "search_all")

    def shown(rows):
        return sorted(
            (*(getattr(m, c) for c in columns), m.seen, m.organiser_unit.name) for m in rows
        )

    for user in cast:
        also = ("search_all",)
        built = list(listed_to(user, also=also).filter(pk__in=ids))
        with CaptureQueriesContext(connection) as asked:
            kept_rows = listed_by_id(user, [m.pk for m in built], also=also)
        assert shown(kept_rows) == shown(built), user.username
        assert len(asked) == (1 if built else 0), user.username  # the rows, unit and room joined
    assert listed_by_id(role_users["clerk"], []) == []


def test_the_documents_branch_kept_for_a_shape_is_each_accounts_own(
    role_users, found_by_words, monkeypatch
):
    """The documents' branch of a rare word's meetings (ReadableTexts.holding_sql), kept per
    shape of account with its ids put in, is the branch built for each account: for every role
    and the other shapes, and a second account of a shape builds nothing. Its meetings are those the
    account's readable documents holding the word belong to."""
    from accounts.tests.factories import UserFactory
    from doctext import selectors as doctext
    from meetings.search import STAND_IN
    from portal.tests.test_todo import cast_of_shapes

    cast = cast_of_shapes(role_users)
    kept.forget()
    for user in cast:
        texts = ReadableTexts(user)
        for word in (STAND_IN, "dien bien"):
            built = doctext._ids_sql(texts.holding(word))
            assert texts.holding_sql(word) == built, (user.username, word)
    holding = [f for key, f in kept._statements.items() if key[0][0] == "doctext.holding"]
    assert holding and all(f is not None for f in holding)
    # The ids read through it are the meetings of the documents the account may read.
    clerk = role_users["clerk"]
    sql, params = ReadableTexts(clerk).holding_sql("dien bien")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = {row[0] for row in cursor.fetchall()}
    assert ids == {found_by_words["document"].pk, found_by_words["restricted"].pk}
    # Another account of a kept shape: its ids put in, nothing built.
    built_again = []
    real = doctext._ids_sql
    monkeypatch.setattr(doctext, "_ids_sql", lambda q, **k: built_again.append(q) or real(q, **k))
    other = UserFactory(username="member2", role=User.Role.MEMBER, unit=role_users["member"].unit)
    _sql, params = ReadableTexts(other).holding_sql("dien bien")
    assert built_again == [] and other.pk in params


@pytest.mark.parametrize("q", ["điện biên", "bien ban", "duong dien", "dien zzz"])
def test_the_documents_test_kept_for_a_shape_finds_what_the_built_one_finds(
    role_users, found_by_words, monkeypatch, q
):
    """The walk's test of each word in a meeting's readable documents (ReadableTexts.held) is
    compiled once per shape of account for a stand-in word, each word and the account's ids put
    in: for every shape of account it finds, page after page and counted, the meetings the test
    built for each word finds; a restricted document's words only for those who may read it."""
    from doctext import selectors as doctext
    from portal.tests.test_todo import cast_of_shapes

    cast = cast_of_shapes(role_users)

    def pages(user) -> tuple[list[list[int]], int]:
        meetings = with_list_data(meetings_visible_to(user), user)
        found = search_meetings(meetings, {"q": q}, user, walk=True)
        return [[m.pk for m in Window(found, n, 2)] for n in (1, 2, 3)], Window(found, 1, 2).count

    kept.forget()
    kept_pages = {user.username: pages(user) for user in cast}
    held = [f for key, f in kept._statements.items() if key[0] == "doctext.held"]
    assert held and all(f is not None for f in held)
    # Built for each word instead: the ORM's own EXISTS.
    monkeypatch.setattr(doctext.ReadableTexts, "held", doctext.ReadableTexts._held_exists)
    for user in cast:
        assert kept_pages[user.username] == pages(user), user.username
    if q == "điện biên":
        # The restricted document's meeting: found by its organiser, not by a member invited.
        restricted = found_by_words["restricted"].pk
        assert restricted in sum(kept_pages["clerk1"][0], [])
        assert restricted not in sum(kept_pages["member1"][0], [])


@pytest.mark.parametrize("word", ["dien bien", "bien ban", "duong", "han che", "zzz"])
def test_a_rare_words_meetings_read_through_the_kept_branches_are_the_orms(
    role_users, found_by_words, word
):
    """A rare word's meetings are read through its indexes once for the page and the count
    (meetings.search._held_ids): the UNION of its branches compiled for the stand-in word, the
    documents' kept per shape of account, the word put in. For every shape of account they are
    the meetings the ORM's own UNION finds: the word in their fields or in a document the
    account may read, a restricted one only for its organiser side."""
    if connection.vendor != "postgresql":
        pytest.skip("read so on PostgreSQL only (SQLite asks the UNION as a subquery)")
    from meetings.models import Meeting
    from meetings.search import _held_by_index, _held_ids
    from portal.tests.test_todo import cast_of_shapes

    found = {}
    for user in cast_of_shapes(role_users):
        texts = ReadableTexts(user)
        held = _held_by_index(word, "search_all", texts)
        orm = set(Meeting.objects.order_by().filter(held).values_list("pk", flat=True))
        found[user.username] = set(_held_ids(word, "search_all", texts, 1000))
        assert found[user.username] == orm, user.username
    if word == "han che":  # the restricted document's words
        assert found_by_words["restricted"].pk in found["clerk1"]
        assert found_by_words["restricted"].pk not in found["member1"]
    assert len(_held_ids("dien", "search_all", ReadableTexts(role_users["clerk"]), 2)) == 2
