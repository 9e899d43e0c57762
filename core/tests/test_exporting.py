"""The workbooks' shared pieces: a sheet's name of whole words within Excel's 31 characters, and
the line that says which filters made an export."""

from datetime import date

from core.exporting import SHEET_NAME_LIMIT, filter_line, sheet_title, shortened


def test_a_name_is_shortened_at_a_word_boundary() -> None:
    silent = "Đơn vị chưa đăng nhập lần nào trong kỳ"
    assert shortened(silent, 31) == "Đơn vị chưa đăng nhập lần nào"
    assert shortened("Tổng hợp", 31) == "Tổng hợp"
    # A single word longer than the limit is cut: there is no boundary to keep.
    assert shortened("Chủtịchủybannhândântỉnhtâyninhvàcácsở", 31) == (
        "Chủtịchủybannhândântỉnhtâyninhv"
    )
    # Trailing separators of the cut do not stay.
    assert shortened("Cuộc họp – phát hành muộn, lý do", 11) == "Cuộc họp"


def test_sheet_titles_are_whole_words_and_unique() -> None:
    used: set[str] = set()
    long = "Nhiệm vụ hoàn thành đúng hạn theo đơn vị chủ trì"
    first = sheet_title(long, used)
    assert first == "Nhiệm vụ hoàn thành đúng hạn"
    assert len(first) <= SHEET_NAME_LIMIT and long.startswith(first)
    second = sheet_title(long, used)
    assert second == "Nhiệm vụ hoàn thành đúng (2)"
    assert len(second) <= SHEET_NAME_LIMIT
    assert sheet_title("Tổng hợp", used) == "Tổng hợp"
    assert sheet_title("tổng hợp", used) == "tổng hợp (2)"  # Excel compares names without case
    assert sheet_title("Thu/chi: [quý I]?", used) == "Thu chi quý I"
    assert sheet_title("  ", used) == "Trang tính"


def test_the_filter_line_names_each_filter() -> None:
    assert filter_line(date(2026, 7, 1), date(2026, 12, 31), [("Đơn vị", "Sở Tài chính")]) == (
        "Từ 01/07/2026 đến 31/12/2026; đơn vị: Sở Tài chính"
    )
    assert filter_line(None, date(2026, 12, 31)) == "Đến 31/12/2026"
    assert filter_line(date(2026, 7, 1), None) == "Từ 01/07/2026"
    assert filter_line(chosen=[("Tài khoản", "stc"), ("Sự kiện", "Đăng xuất")]) == (
        "Tài khoản: stc; sự kiện: Đăng xuất"
    )
    assert filter_line() == ""
