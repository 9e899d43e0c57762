import factory
from factory.django import DjangoModelFactory

from accounts.models import Committee, CommitteeMembership, Person, Unit, User

TEST_PASSWORD = "Mật-khẩu-thử-2026"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm số {n}")
    short_name = factory.Sequence(lambda n: f"STN{n}")
    kind = Unit.Kind.DEPARTMENT


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    position = "Chuyên viên"
    unit = factory.SubFactory(UnitFactory)


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee

    code = factory.Sequence(lambda n: f"BCD{n:03d}")
    name = factory.Sequence(lambda n: f"Ban Chỉ đạo thử nghiệm {n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    committee = factory.SubFactory(CommitteeFactory)
    person = factory.SubFactory(PersonFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    role = User.Role.MEMBER
    kind = User.Kind.PERSONAL
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()
