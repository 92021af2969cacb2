from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bench.apps.django"
    label = "bench"  # the package is called `django`; give the app a label that cannot clash
    default_auto_field = "django.db.models.AutoField"
