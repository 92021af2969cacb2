from django.db import models
from django.db.models import QuerySet

from bench.apps import common


class Item(models.Model):
    name = models.CharField(max_length=64)
    price_cents = models.IntegerField()

    class Meta:
        db_table = common.DB_TABLE
        managed = False  # the harness seeds the table; no migrations to run


FIRST_ITEM_FIELDS = ("id", "name", "price_cents")


def first_items(alias: str = "default") -> QuerySet:
    """The rows every /db endpoint returns; alias "pg" reads them from PostgreSQL (/db-pg)."""
    return Item.objects.using(alias).order_by("id")[: common.DB_READ_LIMIT]
