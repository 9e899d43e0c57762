"""Report cells written in Python read as Django's own formatting would write them."""

import pytest
from django.utils import formats, translation

from core.tables import Link, Rate, Table, text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_whole_numbers_read_as_number_format(language):
    with translation.override(language):
        for value in [0, 7, 999, 1000, 12345, 1234567, -4321]:
            assert text(value) == formats.number_format(value, force_grouping=True)


def test_rows_are_escaped_and_numbers_right_aligned():
    table = Table(
        key="t",
        title="T",
        columns=["Đơn vị", "Số", "Tỷ lệ"],
        rows=[
            [Link('<script>x</script> "Sở"', "/a?b=1&c=2"), 1200, Rate(1, 3)],
            ["Sở <b>", 0, Rate(0, 0)],
        ],
    )
    with translation.override("vi"):
        html = table.body_html()
    assert "<script>" not in html and "<b>" not in html
    assert '<a href="/a?b=1&amp;c=2">&lt;script&gt;x&lt;/script&gt; &quot;Sở&quot;</a>' in html
    assert '<td class="text-end">1.200</td>' in html
    assert '<td class="text-end">33,3 %</td>' in html
    assert html.count("<tr>") == 2
