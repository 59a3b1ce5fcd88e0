import factory
from factory.django import DjangoModelFactory

from hoptac.accounts.models import Role, User

PASSWORD = "mat-khau-thu-123"  # every test user's


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VIEWER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)
