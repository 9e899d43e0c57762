"""A realistic province to try the product with, and one demo account per role.

Safe to run again: what exists is left as it is (passwords included, unless --reset-passwords)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Committee, CommitteeMembership, Person, Unit, User
from accounts.two_factor import required_for, two_factor_reset
from catalogs.models import DocumentRegister, Location
from operations.demo import load_demo_meetings

DEMO_PASSWORD = "Demo@2026!"

DEPARTMENTS = [
    # code, name, short name, director, room
    ("SNV", "Sở Nội vụ", "SNV", "Nguyễn Thị Thu Hà"),
    ("STC", "Sở Tài chính", "STC", "Trần Văn Minh"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "SKHĐT", "Lê Hoàng Phúc"),
    ("STP", "Sở Tư pháp", "STP", "Phạm Thị Lan"),
    ("SCT", "Sở Công Thương", "SCT", "Võ Thanh Tùng"),
    ("SXD", "Sở Xây dựng", "SXD", "Đặng Quốc Bảo"),
    ("SGTVT", "Sở Giao thông vận tải", "SGTVT", "Huỳnh Văn Đức"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "SNN&PTNT", "Bùi Thị Hồng"),
    ("STNMT", "Sở Tài nguyên và Môi trường", "STNMT", "Ngô Minh Khang"),
    ("SYT", "Sở Y tế", "SYT", "Đỗ Thị Mai Anh"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "SGDĐT", "Trương Công Định"),
    ("SVHTTDL", "Sở Văn hoá, Thể thao và Du lịch", "SVHTTDL", "Lý Thị Ngọc Trâm"),
    ("SLDTBXH", "Sở Lao động – Thương binh và Xã hội", "SLĐTBXH", "Phan Văn Hậu"),
    ("SKHCN", "Sở Khoa học và Công nghệ", "SKHCN", "Dương Thị Kim Oanh"),
    ("STTTT", "Sở Thông tin và Truyền thông", "STTTT", "Hồ Nhật Nam"),
    ("TTT", "Thanh tra tỉnh", "Thanh tra", "Mai Văn Sơn"),
    ("BDT", "Ban Dân tộc tỉnh", "BDT", "Châu Thị Thanh"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", "BQLKKT", "Tạ Quang Vinh"),
    ("CAT", "Công an tỉnh", "CAT", "Đoàn Văn Hùng"),
    ("BCHQS", "Bộ Chỉ huy Quân sự tỉnh", "BCHQS", "Vương Đình Lộc"),
]
DISTRICTS = [
    ("UBND-TPTN", "Ủy ban nhân dân thành phố Tây Ninh", "UBND TP Tây Ninh", "Nguyễn Văn Thắng"),
    ("UBND-HT", "Ủy ban nhân dân thị xã Hòa Thành", "UBND TX Hòa Thành", "Trần Thị Bích"),
    ("UBND-TB", "Ủy ban nhân dân thị xã Trảng Bàng", "UBND TX Trảng Bàng", "Lê Văn Tâm"),
    ("UBND-TBI", "Ủy ban nhân dân huyện Tân Biên", "UBND H. Tân Biên", "Phạm Minh Trí"),
    ("UBND-TC", "Ủy ban nhân dân huyện Tân Châu", "UBND H. Tân Châu", "Võ Thị Hạnh"),
    (
        "UBND-DMC",
        "Ủy ban nhân dân huyện Dương Minh Châu",
        "UBND H. Dương Minh Châu",
        "Đinh Công Hoà",
    ),
    ("UBND-CT", "Ủy ban nhân dân huyện Châu Thành", "UBND H. Châu Thành", "Huỳnh Thị Nga"),
    ("UBND-GD", "Ủy ban nhân dân huyện Gò Dầu", "UBND H. Gò Dầu", "Ngô Văn Lợi"),
    ("UBND-BC", "Ủy ban nhân dân huyện Bến Cầu", "UBND H. Bến Cầu", "Tô Thị Yến"),
]
OFFICE_PEOPLE = [
    # name, position, account (username, role) or None
    # The demo meetings' chairs (operations.demo): with an account, they approve the minutes.
    ("Nguyễn Thanh Ngọc", "Chủ tịch UBND tỉnh", ("chutich", User.Role.MEMBER)),
    ("Trần Văn Chiến", "Phó Chủ tịch UBND tỉnh", ("phochutich", User.Role.MEMBER)),
    ("Dương Văn Thắng", "Chánh Văn phòng UBND tỉnh", None),
    ("Lê Thị Hồng Nhung", "Văn thư Văn phòng UBND tỉnh", ("vanthu", User.Role.CLERK)),
    ("Phạm Quốc Việt", "Chuyên viên, thư ký cuộc họp", ("thuky", User.Role.SECRETARY)),
    ("Hoàng Minh Tuấn", "Giám đốc Trung tâm Công nghệ thông tin", ("quantri", User.Role.ADMIN)),
]


class Command(BaseCommand):
    help = "Loads a demo province (units, committees, personnel, rooms) and one account per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set every demo account's password back and remove its two-factor authenticator.",
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo accounts.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        self.reset = options["reset_passwords"]
        year = timezone.localdate().year
        office, _ = Unit.objects.update_or_create(
            code="VPUBND",
            defaults={
                "name": "Văn phòng Ủy ban nhân dân tỉnh",
                "short_name": "VP UBND tỉnh",
                "kind": Unit.Kind.PROVINCIAL_OFFICE,
                "may_organise": True,
                "order": 1,
                "email": "vanphong@example.gov.vn",
                "phone": "0276 3822 111",
            },
        )
        people: dict[str, Person] = {}
        for name, position, _account in OFFICE_PEOPLE:
            people[name] = self._person(office, name, position)
        for order, (code, name, short, director) in enumerate(DEPARTMENTS, start=10):
            unit = self._unit(code, name, short, Unit.Kind.DEPARTMENT, order)
            people[director] = self._person(
                unit, director, "Giám đốc" if name.startswith("Sở") else "Trưởng ban"
            )
            self._person(unit, f"Văn thư {short}", "Văn thư")
            self._room(unit, f"Phòng họp {short}", 30)
            self._register(unit, short, year)
        for order, (code, name, short, chair) in enumerate(DISTRICTS, start=50):
            unit = self._unit(code, name, short, Unit.Kind.DISTRICT, order)
            people[chair] = self._person(unit, chair, "Chủ tịch UBND")
            self._room(unit, f"Hội trường {short}", 80)
            self._register(unit, short, year)
        self._room(office, "Phòng họp số 1 (tầng 2)", 40, video=True)
        self._room(office, "Phòng họp trực tuyến (tầng 3)", 30, video=True)
        self._room(office, "Hội trường UBND tỉnh", 200, video=True)
        self._register(office, "VP", year)

        stc = Unit.objects.get(code="STC")
        skhdt = Unit.objects.get(code="SKHDT")
        digital = self._committee(
            "BCD-CDS",
            "Ban Chỉ đạo Chuyển đổi số tỉnh",
            Unit.objects.get(code="STTTT"),
            [
                (people["Nguyễn Thanh Ngọc"], "head"),
                (people["Hồ Nhật Nam"], "deputy"),
                (people["Trần Văn Minh"], "member"),
                (people["Lê Hoàng Phúc"], "member"),
            ],
        )
        self._committee(
            "BCD-PCTT",
            "Ban Chỉ huy Phòng, chống thiên tai và Tìm kiếm cứu nạn tỉnh",
            Unit.objects.get(code="SNNPTNT"),
            [
                (people["Trần Văn Chiến"], "head"),
                (people["Bùi Thị Hồng"], "deputy"),
                (people["Vương Đình Lộc"], "member"),
                (people["Huỳnh Văn Đức"], "member"),
            ],
        )

        accounts = []
        for name, _position, account in OFFICE_PEOPLE:
            if account:
                username, role = account
                accounts.append(
                    self._account(username, name, role, User.Kind.PERSONAL, person=people[name])
                )
        accounts.append(
            self._account(
                "lanhdao.stc",
                "Trần Văn Minh",
                User.Role.UNIT_LEADER,
                User.Kind.PERSONAL,
                person=people["Trần Văn Minh"],
            )
        )
        accounts.append(
            self._account("stc", "Sở Tài chính", User.Role.UNIT_CLERK, User.Kind.UNIT, unit=stc)
        )
        accounts.append(
            self._account(
                "thanhvien",
                "Lê Hoàng Phúc",
                User.Role.MEMBER,
                User.Kind.PERSONAL,
                person=people["Lê Hoàng Phúc"],
            )
        )
        accounts.append(
            self._account(
                "skhdt", "Sở Kế hoạch và Đầu tư", User.Role.UNIT_CLERK, User.Kind.UNIT, unit=skhdt
            )
        )
        accounts.append(
            self._account(
                "bcd.cds",
                "Ban Chỉ đạo Chuyển đổi số tỉnh",
                User.Role.MEMBER,
                User.Kind.COMMITTEE,
                committee=digital,
            )
        )

        made = load_demo_meetings()
        if not options["quiet"]:
            self._print(accounts)
            if made:
                self.stdout.write(f"Đã tạo {made} cuộc họp mẫu.")

    # ---- helpers ----------------------------------------------------------------------------
    def _unit(self, code: str, name: str, short: str, kind: str, order: int) -> Unit:
        slug = code.lower().replace("-", "")
        unit, _ = Unit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "order": order,
                "email": f"{slug}@example.gov.vn",
                "phone": f"0276 38{order:02d} 123",
            },
        )
        return unit

    def _person(self, unit: Unit, name: str, position: str) -> Person:
        person, _ = Person.objects.get_or_create(
            unit=unit, full_name=name, defaults={"position": position, "phone": "0912 345 678"}
        )
        return person

    def _room(self, unit: Unit, name: str, capacity: int, video: bool = False) -> None:
        Location.objects.get_or_create(
            unit=unit,
            name=name,
            defaults={"capacity": capacity, "has_video_conference": video, "address": unit.address},
        )

    def _register(self, unit: Unit, symbol: str, year: int) -> None:
        DocumentRegister.objects.get_or_create(
            unit=unit, name="Sổ văn bản đi", year=year, defaults={"symbol": symbol}
        )

    def _committee(
        self, code: str, name: str, host: Unit, members: list[tuple[Person, str]]
    ) -> Committee:
        committee, _ = Committee.objects.get_or_create(
            code=code, defaults={"name": name, "host_unit": host}
        )
        for person, role in members:
            CommitteeMembership.objects.get_or_create(
                committee=committee, person=person, defaults={"role": role}
            )
        return committee

    def _account(self, username: str, full_name: str, role: str, kind: str, **links: Any) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                role=role,
                kind=kind,
                email=f"{username}@example.gov.vn",
                **links,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif self.reset:
            user.set_password(DEMO_PASSWORD)
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.is_active = True
            user.save()
            two_factor_reset(user=user, by=None, reason="load_demo --reset-passwords")
        return user

    def _print(self, accounts: list[User]) -> None:
        units = Unit.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nDữ liệu mẫu: {units} đơn vị, {Committee.objects.count()} ban chỉ đạo, "
                f"{Person.objects.count()} nhân sự, {Location.objects.count()} phòng họp."
            )
        )
        self.stdout.write(
            "\nTài khoản mẫu (demo accounts) – mật khẩu / password: "
            + self.style.WARNING(DEMO_PASSWORD)
        )
        self.stdout.write(f"  {'tên đăng nhập':<14} {'vai trò':<18} thuộc về")
        for user in accounts:
            owner = user.committee or user.unit or ""
            second = " *" if required_for(user) else ""
            self.stdout.write(
                f"  {user.username:<14} {user.get_role_display():<18} {owner}{second}"
            )
        self.stdout.write(
            "  * bắt buộc xác thực hai bước: lần đầu đăng nhập, thiết lập bằng ứng dụng xác thực "
            "(two-factor sign-in required: see the README, Accounts and security)\n"
            "  (Mật khẩu đã đổi thì giữ nguyên; đặt lại mật khẩu và xác thực hai bước: "
            "python manage.py load_demo --reset-passwords)\n"
            f"  Mở / open: {settings.SITE_URL}"
            f"   ·   hôm nay / today: {timezone.localdate():%d/%m/%Y}\n"
        )
