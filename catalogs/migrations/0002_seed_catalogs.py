"""Realistic Vietnamese defaults for the catalogs (A5). Admins edit them afterwards."""

from django.db import migrations

MEETING_FORMS = [
    # code, name, in person, online
    ("truc-tiep", "Họp trực tiếp", True, False),
    ("truc-tuyen", "Họp trực tuyến", False, True),
    ("ket-hop", "Họp trực tiếp kết hợp trực tuyến", True, True),
]
MEETING_TYPES = [
    # code, name, minimum notice in days (Decision 05/2013: 3 days regular, 1 day irregular)
    ("thuong-ky", "Họp thường kỳ", 3),
    ("chuyen-de", "Họp chuyên đề", 3),
    ("giao-ban", "Họp giao ban", 3),
    ("so-ket-tong-ket", "Hội nghị sơ kết, tổng kết", 3),
    ("bat-thuong", "Họp bất thường", 1),
    ("khan", "Họp khẩn", 1),
]
MEETING_FIELDS = [
    ("kinh-te", "Kinh tế – Tổng hợp"),
    ("tai-chinh", "Tài chính – Ngân sách"),
    ("dau-tu", "Đầu tư – Xây dựng cơ bản"),
    ("nong-nghiep", "Nông nghiệp và Phát triển nông thôn"),
    ("tai-nguyen", "Tài nguyên và Môi trường"),
    ("van-hoa-xa-hoi", "Văn hoá – Xã hội"),
    ("giao-duc", "Giáo dục và Đào tạo"),
    ("y-te", "Y tế"),
    ("noi-chinh", "Nội chính – Quốc phòng – An ninh"),
    ("cai-cach-hanh-chinh", "Cải cách hành chính"),
    ("khoa-hoc-cong-nghe", "Khoa học, công nghệ và chuyển đổi số"),
]
DOCUMENT_TYPES = [
    ("cong-van", "Công văn"),
    ("to-trinh", "Tờ trình"),
    ("bao-cao", "Báo cáo"),
    ("nghi-quyet", "Nghị quyết"),
    ("quyet-dinh", "Quyết định"),
    ("ke-hoach", "Kế hoạch"),
    ("de-an", "Đề án"),
    ("du-thao", "Dự thảo"),
    ("thong-bao", "Thông báo"),
    ("giay-moi", "Giấy mời"),
    ("bien-ban", "Biên bản"),
    ("tai-lieu-khac", "Tài liệu khác"),
]
DOCUMENT_FIELDS = [
    ("tong-hop", "Tổng hợp"),
    ("kinh-te", "Kinh tế"),
    ("tai-chinh", "Tài chính"),
    ("van-hoa-xa-hoi", "Văn hoá – Xã hội"),
    ("noi-chinh", "Nội chính"),
    ("to-chuc-can-bo", "Tổ chức cán bộ"),
    ("khac", "Khác"),
]


def seed(apps, schema_editor):
    def fill(model_name, rows, make):
        model = apps.get_model("catalogs", model_name)
        for order, row in enumerate(rows, start=1):
            fields = make(row)
            model.objects.get_or_create(code=fields.pop("code"), defaults={**fields, "order": order * 10})

    fill("MeetingForm", MEETING_FORMS, lambda r: {"code": r[0], "name": r[1], "is_in_person": r[2], "is_online": r[3]})
    fill("MeetingType", MEETING_TYPES, lambda r: {"code": r[0], "name": r[1], "min_notice_days": r[2]})
    fill("MeetingField", MEETING_FIELDS, lambda r: {"code": r[0], "name": r[1]})
    fill("DocumentType", DOCUMENT_TYPES, lambda r: {"code": r[0], "name": r[1]})
    fill("DocumentField", DOCUMENT_FIELDS, lambda r: {"code": r[0], "name": r[1]})


class Migration(migrations.Migration):
    dependencies = [("catalogs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
