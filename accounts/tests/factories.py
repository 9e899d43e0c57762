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


# ---- two-factor sign-in (B8) --------------------------------------------------------------------
# A fixed secret, so tests compute the app's codes with pyotp like an authenticator app would.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex of "12345678901234567890"


class TOTPDeviceFactory(DjangoModelFactory):
    class Meta:
        model = "otp_totp.TOTPDevice"

    user = factory.SubFactory(UserFactory)
    name = "authenticator"
    key = TEST_TOTP_KEY
    confirmed = True


def totp_code(device, at: float | None = None) -> str:
    """The code the authenticator app shows now (or at the given Unix time)."""
    import time
    from base64 import b32encode

    import pyotp

    return pyotp.TOTP(b32encode(device.bin_key).decode()).at(at if at is not None else time.time())


def verify_session(client, user) -> None:
    """Marks a signed-in test client's session as having given its second factor, enrolling the
    account first if it has no authenticator: what the code step does after a right code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDeviceFactory(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def signed_in_client(user, client=None):
    """A test client signed in as the account (Django's force_login), with the code step done
    for the roles that must use two-factor sign-in."""
    from django.test import Client

    from accounts.two_factor import required_for

    client = client or Client()
    client.force_login(user)
    if required_for(user):
        verify_session(client, user)
    return client
